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
 * process). The events between launches add a little idle time to a pass, so whole passes are
 * timed separately, with events only around them.
 */
public final class LaunchTimer implements AutoCloseable {
    private final ResNet model;
    private final CommandQueue queue;
    private final List<Event> before = new ArrayList<>();
    private final List<Event> after = new ArrayList<>();
    private final Event passStart;
    private final Event passEnd;

    public LaunchTimer(Device device, ResNet model, CommandQueue queue) {
        this.model = model;
        this.queue = queue;
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
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < n; i++) {
                queue.record(before.get(i));
                enqueue.accept(model.launches().get(i), queue);
                queue.record(after.get(i));
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
