package dev.xsched.examples.bench;

import dev.xsched.core.CloseMode;
import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The queues of one mode, job 0 first:
 * <ul>
 *   <li>{@code native}: one plain stream per job, all at the least priority;</li>
 *   <li>{@code native-priority}: plain streams, job 0 at the greatest stream priority, the last job
 *       at the least, those between spread between;</li>
 *   <li>{@code xsched-<policy>}: XQueues of one scheduler running that policy, on least-priority
 *       streams (or ranked as native-priority's, where the benchmark asks), with the jobs' hints.</li>
 * </ul>
 */
final class BenchQueues implements AutoCloseable {
    final List<CommandQueue> queues = new ArrayList<>();
    private final List<Stream> streams = new ArrayList<>();
    private XScheduler scheduler;

    BenchQueues(Device device, Mode mode, List<List<Hint>> hints, int threshold, int batchSize) {
        this(device, mode, hints, threshold, batchSize, java.util.Collections.nCopies(hints.size(), XQueueConfig.DEFAULT_WAIT_SPIN),
                false);
    }

    /**
     * As above, job {@code i}'s XQueue polling its work for {@code waitSpins.get(i)} before a
     * synchronize blocks (plain streams synchronize as the driver does), and with
     * {@code rankedStreams} the XQueues' streams at the priorities {@code native-priority} gives
     * the jobs (job 0 greatest) rather than all at the least.
     */
    BenchQueues(Device device, Mode mode, List<List<Hint>> hints, int threshold, int batchSize, List<Duration> waitSpins,
                boolean rankedStreams) {
        if (waitSpins.size() != hints.size()) {
            throw new IllegalArgumentException(hints.size() + " jobs but " + waitSpins.size() + " wait spins");
        }
        PriorityRange range = device.streamPriorityRange();
        int n = hints.size();
        try {
            switch (mode) {
                case Mode.Scheduled scheduled -> {
                    scheduler = XScheduler.builder().name("policybench-" + mode).jmx(false).policy(scheduled.policy()).build();
                    for (int i = 0; i < n; i++) {
                        int priority = rankedStreams ? ranked(range, i, n) : range.least();
                        XQueue q = scheduler.createQueue(device, priority, new XQueueConfig("job-" + (char) ('a' + i), threshold, batchSize)
                                .withWaitSpin(waitSpins.get(i)));
                        for (Hint h : hints.get(i)) {
                            q.hint(h);
                        }
                        queues.add(q);
                    }
                }
                case Mode.Native plain -> {
                    for (int i = 0; i < n; i++) {
                        int priority = plain.streamPriorities() ? ranked(range, i, n) : range.least();
                        Stream s = device.createStream(priority);
                        streams.add(s);
                        queues.add(s);
                    }
                }
                case Mode.Standalone alone -> throw new IllegalArgumentException(
                        "the policy benchmarks run every job together, not " + alone);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Waits for {@code event} recorded on {@code queue} (through the scheduler for an XQueue). */
    static void await(CommandQueue queue, Event event) {
        if (queue instanceof XQueue x) {
            x.scheduler().synchronize(event);
        } else {
            event.synchronize();
        }
    }

    /** Job {@code i} of {@code n}'s stream priority when they are ranked: job 0 the greatest, the last the least, those between spread between. */
    static int ranked(PriorityRange range, int i, int n) {
        if (n < 2) {
            return range.least();
        }
        return range.least() + (int) Math.round((range.greatest() - range.least()) * (n - 1 - i) / (double) (n - 1));
    }

    @Override
    public void close() {
        for (CommandQueue q : queues) {
            if (q instanceof XQueue x) {
                try {
                    x.close(CloseMode.DROP);
                } catch (RuntimeException ignored) {
                    // closing what is left; the measurement is over
                }
            }
        }
        if (scheduler != null) {
            scheduler.close();
        }
        for (Stream s : streams) {
            try {
                s.synchronize();
            } finally {
                s.close();
            }
        }
    }
}
