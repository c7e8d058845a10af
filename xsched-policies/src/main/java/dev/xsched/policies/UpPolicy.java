package dev.xsched.policies;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Utilization partition (XSched's UP): the ready queues take turns, in queue order, and each turn
 * lasts {@code timeslice * util / sum(util of the ready queues)}, where util is the queue's
 * {@link Hint.Utilization} percentage. Only the queue owning the current slice runs; the others,
 * ready or idle, are suspended. With no queue ready, every queue is resumed.
 *
 * <p>Over a round every ready queue gets device time in proportion to its utilization; two
 * always-busy queues at 75 and 25 share the device 75/25. A queue that goes idle gives the rest of
 * its slice up; shares are of the time the queues actually want.
 *
 * <p>Queues without a {@code Utilization} hint get {@code default-utilization} (not 0: a queue
 * without a hint still progresses). A {@link Hint.Timeslice} on a queue replaces
 * {@code timeslice} when that queue's slice is computed.
 *
 * <p>The slice is measured on the scheduler's clock; a suspended queue's in-flight commands still
 * run after its slice ends (Level-1 preemption), which shifts each slice by up to
 * {@code threshold} commands but, the same happening at every switch, not the shares.
 *
 * <p><b>Starvation:</b> none; every ready queue gets a turn each round.
 */
public final class UpPolicy implements Policy {
    public static final String NAME = "up";
    public static final long DEFAULT_TIMESLICE_NANOS = 5_000_000L;
    public static final int DEFAULT_UTILIZATION = 10;

    private final long timeslice;
    private final int defaultUtilization;
    private final PolicySupport.Timers timers = new PolicySupport.Timers();

    private long owner = -1;
    private long sliceEnd;

    public UpPolicy(long timesliceNanos, int defaultUtilization) {
        if (timesliceNanos <= 0) {
            throw new IllegalArgumentException("timeslice must be > 0 ns, got " + timesliceNanos);
        }
        if (defaultUtilization < 1 || defaultUtilization > 100) {
            throw new IllegalArgumentException("default utilization must be in [1, 100], got " + defaultUtilization);
        }
        this.timeslice = timesliceNanos;
        this.defaultUtilization = defaultUtilization;
    }

    public UpPolicy() {
        this(DEFAULT_TIMESLICE_NANOS, DEFAULT_UTILIZATION);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void onQueueRemoved(long queueId) {
        if (queueId == owner) {
            owner = -1;
        }
    }

    @Override
    public void schedule(SchedulingContext context) {
        long now = context.now();
        List<QueueStatus> ready = new ArrayList<>();
        QueueStatus current = null;
        for (QueueStatus queue : context.queues()) {
            if (queue.ready()) {
                ready.add(queue);
                if (queue.id() == owner) {
                    current = queue;
                }
            }
        }
        if (ready.isEmpty()) {
            owner = -1;
            PolicySupport.runExactly(context, q -> true);
            return;
        }
        if (current == null || now >= sliceEnd) {
            current = next(ready);
            long total = 0;
            for (QueueStatus queue : ready) {
                total += utilization(queue);
            }
            long round = current.hint(Hint.Timeslice.class).map(Hint.Timeslice::nanos).orElse(timeslice);
            long slice = Math.max(1, Math.round((double) round * utilization(current) / total));
            owner = current.id();
            sliceEnd = PolicySupport.saturatedAdd(now, slice);
        }
        long running = owner;
        PolicySupport.runExactly(context, q -> q.id() == running);
        timers.wakeUpAt(context, sliceEnd);
    }

    /** The first ready queue after the current owner, in queue order, wrapping around. */
    private QueueStatus next(List<QueueStatus> ready) {
        for (QueueStatus queue : ready) {
            if (queue.id() > owner) {
                return queue;
            }
        }
        return ready.getFirst();
    }

    int utilization(QueueStatus queue) {
        return queue.hint(Hint.Utilization.class).map(Hint.Utilization::percent).orElse(defaultUtilization);
    }

    @Override
    public String toString() {
        return NAME + "(timeslice=" + PolicySupport.formatNanos(timeslice) + ", default-utilization=" + defaultUtilization + ")";
    }

    /** The provider registered for {@code ServiceLoader}. */
    @PolicyInfo(name = NAME,
            description = "utilization partition: ready queues take turns of timeslice * Hint.Utilization / sum of the ready queues' utilizations",
            parameters = {
                    "timeslice (5ms): the round the ready queues share (a Hint.Timeslice overrides it per queue); -Dxsched.policy.up.timeslice or XSCHED_UP_TIMESLICE",
                    "default-utilization (10): the share in percent of a queue without a Hint.Utilization; -Dxsched.policy.up.default-utilization or XSCHED_UP_DEFAULT_UTILIZATION"})
    public static final class Provider implements PolicyProvider {
        @Override
        public Policy create(PolicyParameters parameters) {
            return new UpPolicy(PolicySupport.duration(parameters, "timeslice", DEFAULT_TIMESLICE_NANOS),
                    PolicySupport.intIn(parameters, "default-utilization", DEFAULT_UTILIZATION, 1, 100));
        }
    }
}
