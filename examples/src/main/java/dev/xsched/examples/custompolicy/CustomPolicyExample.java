package dev.xsched.examples.custompolicy;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code xsched example custom-policy}: the {@link OnlineFirstPolicy}, found by name through the
 * SPI, against the built-in {@code fifo}, on the simulated GPU in virtual time (deterministic): a
 * batch queue keeps 2 ms kernels coming (one in flight) while an online queue submits, every
 * 10 ms, a burst of three short kernels 1 ms apart (host work between them). Under FIFO every
 * kernel of a burst can find a batch kernel ahead of it; under online-first only the first can,
 * because the batch queue stays held during the burst and its cool-down. Prints the waits.
 */
public final class CustomPolicyExample {
    private static final String SOURCE = """
            extern "C" __global__ void batch_work(int n) { }
            extern "C" __global__ void online_work(int n) { }
            """;

    private CustomPolicyExample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        out.println("simulated GPU, virtual time: bursts of 3 online kernels 1 ms apart, every 10 ms, beside back-to-back"
                + " 2 ms batch kernels");
        for (String policy : List.of("fifo", OnlineFirstPolicy.NAME)) {
            double[] waits = onlineWaits(policy);
            out.printf("  %-13s online kernel waited: median %.2f ms, max %.2f ms%n", policy, waits[0], waits[1]);
        }
    }

    /** Advances virtual time by {@code nanos}, keeping the batch queue supplied with work. */
    private static void runFor(long nanos, VirtualClock clock, XScheduler scheduler, XQueue batchQueue, Kernel batch,
                               KernelArgs args) {
        long end = clock.nanoTime() + nanos;
        while (clock.nanoTime() < end) {
            if (batchQueue.stats().buffered() < 2) {
                batchQueue.launch(batch, LaunchConfig.of(8, 64), args);
            }
            scheduler.pump();
            clock.advanceBy(50_000);
        }
    }

    /** Median and maximum wait (ms) from submit to start of the online kernels under {@code policy}. */
    static double[] onlineWaits(String policy) {
        KernelRecorder recorder = new KernelRecorder();
        SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(8).hardwarePriority(false)
                .defaultBlockDuration(Duration.ofMillis(2)).listener(recorder).build();
        VirtualClock clock = sim.virtualClock();
        try (XScheduler scheduler = XScheduler.builder().name("custom-policy-" + policy).jmx(false)
                .clock(clock::nanoTime).manual(() -> clock.advanceBy(20_000)).policy(policy).build()) {
            Device gpu = sim.device(0);
            HipModule module = gpu.loadModule(gpu.compiler().compile("example.hip", SOURCE));
            Kernel batch = module.function("batch_work", ParamType.INT);
            Kernel online = SimulatedPlatform.withBlockDuration(module.function("online_work", ParamType.INT),
                    Duration.ofNanos(200_000));
            XQueue batchQueue = scheduler.createQueue(gpu, new XQueueConfig("batch", 1, 1));
            XQueue onlineQueue = scheduler.createQueue(gpu, XQueueConfig.defaults("online"));
            KernelArgs args = KernelArgs.builder().i32(0).build();
            for (int request = 0; request < 20; request++) {
                long requestEnd = clock.nanoTime() + 10_000_000L;
                for (int k = 0; k < 3; k++) {
                    onlineQueue.launch(online, LaunchConfig.of(8, 64), args);
                    runFor(1_000_000L, clock, scheduler, batchQueue, batch, args);
                }
                runFor(requestEnd - clock.nanoTime(), clock, scheduler, batchQueue, batch, args);
            }
            onlineQueue.synchronize();
            batchQueue.close(dev.xsched.core.CloseMode.DROP);
            module.close();
        } finally {
            sim.close();
        }
        double[] waits = recorder.kernels("online_work").stream()
                .mapToDouble(r -> r.waitNanos() / 1e6).sorted().toArray();
        return new double[] {waits[waits.length / 2], waits[waits.length - 1]};
    }
}
