package dev.xsched.examples.custompolicy;

import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * A policy written outside the library, plugged in through the SPI: queues whose name starts with
 * {@code online} always run; every other queue is held while an online queue has work and for a
 * cool-down after it went idle (so bursts of online requests close together are not each
 * preceded by a batch kernel). It is registered with {@code provides} in this module's
 * {@code module-info.java} and in {@code META-INF/services}, and selected by name like the
 * built-in ones: {@code XSCHED_POLICY=online-first} or {@code XScheduler.builder().policy("online-first")}.
 */
public final class OnlineFirstPolicy implements Policy {
    public static final String NAME = "online-first";

    private final long coolDownNanos;
    /** When each online queue last went from ready to idle (scheduler clock). */
    private final Map<Long, Long> lastOnlineActivity = new HashMap<>();

    public OnlineFirstPolicy(long coolDownNanos) {
        if (coolDownNanos < 0) {
            throw new IllegalArgumentException("cool-down must be >= 0 ns, got " + coolDownNanos);
        }
        this.coolDownNanos = coolDownNanos;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void schedule(SchedulingContext context) {
        long now = context.now();
        long holdUntil = Long.MIN_VALUE;
        for (QueueStatus q : context.queues()) {
            if (isOnline(q)) {
                context.resume(q.id());
                if (q.ready()) {
                    lastOnlineActivity.put(q.id(), now);
                }
                holdUntil = Math.max(holdUntil, q.ready() ? Long.MAX_VALUE
                        : lastOnlineActivity.getOrDefault(q.id(), Long.MIN_VALUE / 2) + coolDownNanos);
            }
        }
        boolean hold = now < holdUntil;
        for (QueueStatus q : context.queues()) {
            if (!isOnline(q)) {
                if (hold) {
                    context.suspend(q.id());
                } else {
                    context.resume(q.id());
                }
            }
        }
        if (hold && holdUntil != Long.MAX_VALUE) {
            context.wakeUpAt(holdUntil);
        }
    }

    @Override
    public void onQueueRemoved(long queueId) {
        lastOnlineActivity.remove(queueId);
    }

    private static boolean isOnline(QueueStatus q) {
        return q.name().startsWith("online");
    }

    /** The provider ServiceLoader finds; read by name without being instantiated. */
    @PolicyInfo(name = NAME, description = "example of a user policy: queues named online* always run, the others wait "
            + "while online work exists and for a cool-down after it",
            parameters = "cool-down (2ms): how long other queues stay held after online work went idle; "
                    + "-Dxsched.policy.online-first.cool-down-us (microseconds) or XSCHED_ONLINE_FIRST_COOL_DOWN_US")
    public static final class Provider implements PolicyProvider {
        /** Called by ServiceLoader. */
        public Provider() {
        }

        @Override
        public Policy create(PolicyParameters parameters) {
            return new OnlineFirstPolicy(parameters.longValue("cool-down-us", 2_000) * 1_000);
        }
    }
}
