package dev.xsched.examples.resnet;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Stream;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the low-priority side of the scenario pays for being preemptible when nothing preempts it:
 * one model run back to back three ways, in alternating rounds in one sitting (so that clock and
 * temperature drift fall on every way alike), each iteration a forward pass and a wait for it,
 * timed on the host, exactly as the demo's LP loop does:
 * <ol>
 *   <li>the plain kernels on a stream (the demo's {@code standalone-lp} and {@code native-priority});</li>
 *   <li>the yieldable variants on a stream with live control words whose flag never rises
 *       ({@link NeverRaisedYield}): the kernels' own overhead;</li>
 *   <li>the yieldable variants through an XQueue that is never suspended, with the demo's LP
 *       settings (threshold 2, a sync point per command): adds XSched's launch path (holding back
 *       the non-yieldable pooling launches behind the yieldable ones, the state memsets).</li>
 * </ol>
 * What is left of the {@code xsched-hpf} LP loss beyond the third way is the suspensions
 * themselves: their count and length (the demo's {@code hp-breakdown.csv}) and the relaunches.
 */
final class YieldOverhead {
    /** The demo's LP XQueue settings (ScenarioOptions' defaults). */
    private static final int LP_THRESHOLD = 2;
    private static final int LP_BATCH_SIZE = 1;
    private static final int LAYER_RUNS = 5;

    private YieldOverhead() {
    }

    private record Way(String label, Consumer<Integer> run) {
    }

    /**
     * Runs {@code rounds} rounds of {@code iterations} iterations each way and prints the median
     * milliseconds per iteration of each; with {@code layers}, then each launch's median time
     * plain and yieldable (flag never raised).
     */
    static void compare(Device device, ResNet model, Stream stream, int iterations, int rounds, boolean layers,
                        PrintStream out) {
        try (NeverRaisedYield live = new NeverRaisedYield(device, model);
             XScheduler scheduler = XScheduler.builder().name("yield-overhead").policy(new PassThroughPolicy()).jmx(false)
                     .build()) {
            XQueue queue = scheduler.createQueue(device, new XQueueConfig("lp-" + model.network().name(), LP_THRESHOLD,
                    LP_BATCH_SIZE));
            List<Way> ways = List.of(
                    new Way("plain kernels, stream", n -> loop(n, stream, () -> model.forward(stream))),
                    new Way("yieldable, flag never raised, stream", n -> loop(n, stream, () -> live.forward(model, stream))),
                    new Way("yieldable, XQueue never suspended (threshold " + LP_THRESHOLD + ", batch " + LP_BATCH_SIZE + ")",
                            n -> loop(n, queue, () -> model.forwardYieldable(queue))));
            for (Way way : ways) {
                way.run().accept(1); // warm-up: first launches of each variant, the XQueue's yield memory
            }
            out.printf(Locale.ROOT, "yield overhead: %s, %d rounds of %d iterations each way (forward + wait per iteration, "
                    + "host-timed, as the demo's LP loop)%n", model, rounds, iterations);
            double[][] millis = new double[ways.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d:", r + 1));
                for (int w = 0; w < ways.size(); w++) {
                    long start = System.nanoTime();
                    ways.get(w).run().accept(iterations);
                    millis[w][r] = (System.nanoTime() - start) / 1e6 / iterations;
                    line.append(String.format(Locale.ROOT, "  %.2f ms", millis[w][r]));
                }
                out.println(line);
            }
            double plain = LaunchTimer.median(millis[0]);
            for (int w = 0; w < ways.size(); w++) {
                double ms = LaunchTimer.median(millis[w]);
                out.printf(Locale.ROOT, "  %-62s %8.2f ms/it %6.2f it/s %6.1f%% of plain%n", ways.get(w).label(), ms, 1000 / ms,
                        100 * plain / ms);
            }
            out.println("  yieldable blocks that stopped: " + (live.anyBlockStopped() ? "SOME (the flag never rose: a bug)"
                    : "none, as expected") + "; XQueue launches yielded: " + queue.stats().yielded());
            if (layers) {
                printLayers(device, model, stream, live, out);
            }
        }
    }

    private static void loop(int iterations, CommandQueue queue, Runnable forward) {
        for (int i = 0; i < iterations; i++) {
            forward.run();
            queue.synchronize();
        }
    }

    /** Each launch's median time plain and yieldable (flag never raised), and the difference. */
    private static void printLayers(Device device, ResNet model, Stream stream, NeverRaisedYield live, PrintStream out) {
        try (LaunchTimer timer = new LaunchTimer(device, model, stream)) {
            double[] plain = timer.medianLaunchMicros(LAYER_RUNS);
            double[] yieldable = timer.medianLaunchMicros(LAYER_RUNS, live::enqueue);
            List<Layer> layers = model.network().layers();
            double plainSum = 0;
            double yieldSum = 0;
            out.printf(Locale.ROOT, "  %-28s %-26s %10s %10s %8s %7s%n", "launch (median of " + LAYER_RUNS + ")", "kernel",
                    "plain us", "yield us", "+us", "+%");
            for (int i = 0; i < plain.length; i++) {
                plainSum += plain[i];
                yieldSum += yieldable[i];
                KernelLaunch launch = model.launches().get(i);
                out.printf(Locale.ROOT, "  %-28s %-26s %10.1f %10.1f %8.1f %6.1f%%  %d blocks%n", layers.get(i).name(),
                        launch.plan().kernel(), plain[i], yieldable[i], yieldable[i] - plain[i],
                        100 * (yieldable[i] - plain[i]) / plain[i], launch.plan().grid().x());
            }
            out.printf(Locale.ROOT, "  sum of launches: plain %.3f ms, yieldable %.3f ms (%+.1f%%); launches timed %s%n",
                    plainSum / 1000, yieldSum / 1000, 100 * (yieldSum - plainSum) / plainSum, timer.howTimed(plain.length));
        }
    }
}
