package dev.xsched.examples.cli;

import dev.xsched.examples.bench.HostCpu;
import dev.xsched.hip.Availability;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasAvailability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code xsched info}: every installed platform, found or not (with the reason and what was
 * tried), the one that would be chosen and why, runtime versions, and each device's attributes.
 */
@Command(name = "info",
        description = "the HIP platforms found and not found (with the reason), versions, devices")
final class InfoCommand extends Subcommand {
    /** No platform can be chosen. */
    static final int NO_PLATFORM = 1;

    @Option(names = {"-v", "--verbose"}, description = "also list where each found platform's libraries were looked for")
    boolean verbose;

    InfoCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        PrintStream out = out();
        out.println("XSched for Java: HIP platforms (Java " + Runtime.version() + ")");
        // Polling threads (the online queue's wait, the scheduler spins) need CPUs to spare: a
        // container's quota that runs out stops them for the rest of its period.
        out.println("host: " + HostCpu.now().describe("so far"));
        List<Availability> probes = Hip.probeAll();
        for (Availability probe : probes) {
            out.println();
            printPlatform(probe);
        }
        out.println();
        try {
            Hip.Choice choice = Hip.chooseOrSimulator();
            out.println("chosen platform: " + choice.platform().name() + " (" + choice.reason() + ")");
            return 0;
        } catch (IllegalStateException | IllegalArgumentException e) {
            out.println("chosen platform: none: " + e.getMessage());
            return NO_PLATFORM;
        }
    }

    private void printPlatform(Availability probe) {
        PrintStream out = out();
        String state = !probe.available() ? "NOT AVAILABLE" : probe.hasDevices() ? "available" : "available, no devices";
        out.println("platform " + probe.platform() + ": " + state);
        out.println("  " + probe.summary());
        if (probe.available()) {
            HipPlatform platform = Hip.open(probe.platform());
            out.println("  runtime: " + platform.runtimeVersion());
            out.println("  driver:  " + platform.driverVersion());
            out.println("  devices: " + platform.deviceCount()
                    + platform.noDeviceReason().map(r -> " (" + r + ")").orElse(""));
            for (Device device : platform.devices()) {
                printDevice(device);
            }
            try {
                out.println("  compiler: " + platform.compiler().version() + ", default target " + platform.compiler().defaultTarget());
            } catch (RuntimeException e) {
                out.println("  compiler: unavailable: " + e.getMessage());
            }
            printBlas(probe.platform());
        }
        if (verbose || !probe.available()) {
            probe.attempts().forEach(a -> out.println("  tried " + a));
        }
    }

    /** The platform's BLAS library (cuBLAS, hipBLAS): found or why not, and with -v every place tried. */
    private void printBlas(String platform) {
        PrintStream out = out();
        BlasAvailability blas = Blas.probe(platform);
        out.println("  blas: " + (blas.available() ? blas.summary() : "unavailable: " + blas.summary()));
        if (verbose) {
            blas.attempts().forEach(a -> out.println("    tried " + a));
        }
    }

    private void printDevice(Device device) {
        PrintStream out = out();
        String simulated = device.platform().isSimulated() ? " [simulated]" : "";
        out.printf("  device %d: %s%s, %s%n", device.index(), device.name(), simulated, device.architecture());
        out.printf("    compute units %d, clock %d MHz, memory %.1f GiB, warp size %d, max threads/block %d%n",
                device.computeUnits(), device.clockRateKHz() / 1000, device.totalMemory() / (1024.0 * 1024 * 1024),
                device.warpSize(), device.attribute(DeviceAttribute.MAX_THREADS_PER_BLOCK));
        var range = device.streamPriorityRange();
        out.printf("    stream priorities %d (lowest) .. %d (highest)%s%n", range.least(), range.greatest(),
                range.hasPriorities() ? "" : ": a single priority");
    }
}
