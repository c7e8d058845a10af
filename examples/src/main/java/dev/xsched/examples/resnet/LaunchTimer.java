package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Times a model's launches with events on one queue: an event recorded before and after every
 * launch, so each duration is measured on the GPU's clock between the two, free of host
 * overhead; the median over runs discards the occasional outlier (a clock change, another
 * process). Where the queue is a stream that can wait for device memory, each timed pass is held
 * until the host has enqueued all of it ({@link PassHold}), so that a kernel shorter than the
 * host's work per launch is not timed with the GPU waiting for its launch call. The events between
 * launches add a little idle time to a pass, so whole passes are timed separately, with events
 * only around them and not held: as the host enqueues a request.
 */
public final class LaunchTimer implements AutoCloseable {
    private final ResNet model;
    private final CommandQueue queue;
    private final List<Event> before = new ArrayList<>();
    private final List<Event> after = new ArrayList<>();
    private final Event passStart;
    private final Event passEnd;
    private final PassHold hold;

    /** A timer of {@code model}'s launches on {@code queue}, holding each timed pass where the queue can be held. */
    public LaunchTimer(Device device, ResNet model, CommandQueue queue) {
        this(device, model, queue, PassHold.of(device, queue));
    }

    /**
     * A timer that holds each timed pass with {@code hold} (which it closes), where the pass has
     * at most {@link PassHold#MAX_HELD_COMMANDS} commands.
     */
    LaunchTimer(Device device, ResNet model, CommandQueue queue, PassHold hold) {
        this.model = model;
        this.queue = queue;
        this.hold = hold;
        try {
            for (int i = 0; i < model.launches().size(); i++) {
                before.add(device.createEvent());
                after.add(device.createEvent());
            }
            passStart = device.createEvent();
            passEnd = device.createEvent();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Median microseconds of each launch over {@code runs} passes, in launch order. */
    public double[] medianLaunchMicros(int runs) {
        return medianLaunchMicros(runs, KernelLaunch::enqueue);
    }

    /**
     * Median microseconds of each launch over {@code runs} passes, in launch order, each launch
     * enqueued by {@code enqueue} (for example through its yieldable variant).
     */
    public double[] medianLaunchMicros(int runs, BiConsumer<KernelLaunch, CommandQueue> enqueue) {
        Checks.positive("runs", runs);
        int n = model.launches().size();
        double[][] samples = new double[n][runs];
        boolean held = holdsPassesOf(n);
        for (int r = 0; r < runs; r++) {
            if (held) {
                hold.hold();
            }
            try {
                for (int i = 0; i < n; i++) {
                    queue.record(before.get(i));
                    enqueue.accept(model.launches().get(i), queue);
                    queue.record(after.get(i));
                }
            } finally {
                hold.release(); // also after a failed enqueue: a stream left held would hang its synchronize
            }
            queue.synchronize();
            for (int i = 0; i < n; i++) {
                samples[i][r] = after.get(i).elapsedMillis(before.get(i)) * 1000.0;
            }
        }
        double[] medians = new double[n];
        for (int i = 0; i < n; i++) {
            medians[i] = median(samples[i]);
        }
        return medians;
    }

    /**
     * Whether the timed passes of {@code launches} launches are held: where the queue can be, and
     * a pass has at most {@link PassHold#MAX_HELD_COMMANDS} commands, counting each launch as
     * {@value #COMMANDS_PER_LAUNCH} (its two events, and a yieldable twin's memsets of its block
     * state and tile counter).
     */
    boolean holdsPassesOf(int launches) {
        return hold.active() && (long) launches * COMMANDS_PER_LAUNCH <= PassHold.MAX_HELD_COMMANDS;
    }

    /** How passes of {@code launches} launches are timed, for the reader of a measurement: held or not, and why not. */
    String howTimed(int launches) {
        if (holdsPassesOf(launches)) {
            return "in passes held until the host had enqueued them (each kernel's own time)";
        }
        return "as enqueued (not held: " + (hold.active() ? "a pass exceeds " + PassHold.MAX_HELD_COMMANDS + " commands"
                : "the queue cannot wait for device memory") + "; a kernel shorter than a launch call includes the host's time)";
    }

    /** The most commands one timed launch enqueues: two events, two memsets of a yieldable twin, the launch. */
    static final int COMMANDS_PER_LAUNCH = 5;

    /** Median milliseconds of a whole forward pass over {@code runs} passes. */
    public double medianForwardMillis(int runs) {
        Checks.positive("runs", runs);
        double[] samples = new double[runs];
        for (int r = 0; r < runs; r++) {
            queue.record(passStart);
            model.forward(queue);
            queue.record(passEnd);
            passEnd.synchronize();
            samples[r] = passEnd.elapsedMillis(passStart);
        }
        return median(samples);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    @Override
    public void close() {
        hold.close();
        before.forEach(Event::close);
        after.forEach(Event::close);
        if (passStart != null) {
            passStart.close();
        }
        if (passEnd != null) {
            passEnd.close();
        }
    }
}
