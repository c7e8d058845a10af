package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.KernelCompiler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.xsched.hip.internal.panama.hip.HipBindings.hipDriverGetVersion;
import static dev.xsched.hip.internal.panama.hip.HipBindings.hipGetDeviceCount;
import static dev.xsched.hip.internal.panama.hip.HipBindings.hipInit;
import static dev.xsched.hip.internal.panama.hip.HipBindings.hipRuntimeGetVersion;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** The HIP runtime, loaded and initialised; one per process. */
final class AmdPlatform implements HipPlatform {
    private final Path library;
    private final String hiprtcLibrary;
    private final List<String> attempts;
    private final String runtimeVersion;
    private final String driverVersion;
    private final List<AmdDevice> devices;
    private final String noDeviceReason;
    private final Optional<Set<String>> knownProcessors;
    private final HiprtcCompiler compiler;

    AmdPlatform(Path library, String hiprtcLibrary, List<String> attempts) {
        this.library = library;
        this.hiprtcLibrary = hiprtcLibrary;
        // Without a GPU, ROCm 5's hipInit fails (hipErrorInvalidDevice) and hipGetDeviceCount
        // reports hipErrorNoDevice: both mean "no device", which is an answer, not a failure.
        int initRc = hipInit(0);
        String reason = null;
        int count = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = hipGetDeviceCount(out);
            if (rc == HipCalls.SUCCESS) {
                count = out.get(JAVA_INT, 0);
                if (count == 0) {
                    reason = "hipGetDeviceCount reported 0 devices";
                }
            } else if (rc == HipCalls.NO_DEVICE || initRc != HipCalls.SUCCESS) {
                reason = describe(rc, "hipGetDeviceCount")
                        + (initRc == HipCalls.SUCCESS ? "" : "; " + describe(initRc, "hipInit(0)"));
            } else {
                HipCalls.check(rc, "hipGetDeviceCount");
            }
        }
        this.noDeviceReason = reason;
        int runtime = readVersion(true);
        this.runtimeVersion = "HIP runtime " + formatHipVersion(runtime) + " (" + library + ")";
        int driver = readVersion(false);
        this.driverVersion = driver < 0 ? "unavailable without a device" : "HIP driver " + formatHipVersion(driver);
        this.devices = java.util.stream.IntStream.range(0, count).mapToObj(i -> AmdDevice.open(this, i)).toList();
        List<String> allAttempts = new java.util.ArrayList<>(attempts);
        allAttempts.add(HipHeaderSupport.describe(runtime));
        this.knownProcessors = ComgrTargets.load(library, allAttempts);
        this.attempts = List.copyOf(allAttempts);
        this.compiler = new HiprtcCompiler(hiprtcLibrary,
                HiprtcCompiler.targetFor(count > 0 ? devices.getFirst().architecture() : null), knownProcessors);
    }

    private static String describe(int rc, String call) {
        return call + " returned " + HipCalls.errorName(rc) + " (" + rc + "): " + HipCalls.errorString(rc);
    }

    /** HIP encodes versions as major * 10^7 + minor * 10^5 + patch. */
    static String formatHipVersion(int version) {
        if (version < 0) {
            return "unknown";
        }
        return (version / 10_000_000) + "." + (version / 100_000 % 100) + "." + (version % 100_000);
    }

    private int readVersion(boolean runtime) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = runtime ? hipRuntimeGetVersion(out) : hipDriverGetVersion(out);
            return rc == HipCalls.SUCCESS ? out.get(JAVA_INT, 0) : -1;
        }
    }

    Availability availability() {
        String summary = runtimeVersion + "; "
                + (devices.isEmpty() ? "no AMD device: " + noDeviceReason : devices.size() + " device(s)")
                + "; hiprtc: " + (hiprtcLibrary == null ? "not found" : hiprtcLibrary);
        return Availability.usable(name(), devices.size(), summary, attempts);
    }

    @Override
    public String name() {
        return "amd";
    }

    @Override
    public boolean isSimulated() {
        return false;
    }

    @Override
    public String runtimeVersion() {
        return runtimeVersion;
    }

    @Override
    public String driverVersion() {
        return driverVersion;
    }

    @Override
    public int deviceCount() {
        return devices.size();
    }

    @Override
    public Device device(int index) {
        Objects.checkIndex(index, devices.size());
        return devices.get(index);
    }

    @Override
    public Optional<String> noDeviceReason() {
        return Optional.ofNullable(noDeviceReason);
    }

    @Override
    public KernelCompiler compiler() {
        if (hiprtcLibrary == null) {
            throw new IllegalStateException("hiprtc was not found (neither libhiprtc nor hiprtc symbols in " + library + ")");
        }
        return compiler;
    }

    KernelCompiler compilerFor(String architecture) {
        compiler();
        return new HiprtcCompiler(hiprtcLibrary, HiprtcCompiler.targetFor(architecture), knownProcessors);
    }

    @Override
    public String toString() {
        return "AmdPlatform[" + runtimeVersion + ", " + devices.size() + " devices]";
    }
}
