package dev.xsched.policies;

import dev.xsched.core.policy.DecisionRound;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policies;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.QueueStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a policy on hand-made queue snapshots, no scheduler and no GPU, through the scheduler's own
 * {@link DecisionRound}: builders for {@link QueueStatus}.
 */
final class Decisions {
    private Decisions() {
    }

    /**
     * The installed policy called {@code name}, from {@code explicit} and its defaults only:
     * unlike {@link Policies#create}, no system property or environment variable reaches it, so
     * an {@code XSCHED_KEDF_HANDOVER=drain} where the tests run changes nothing.
     */
    static Policy create(String name, Map<String, String> explicit) {
        return Policies.installed().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no policy " + name + " installed"))
                .provider().get().create(new PolicyParameters(name, explicit, k -> null, k -> null));
    }

    /** Asks {@code policy} at {@code now} about {@code queues}. */
    static DecisionRound decide(Policy policy, long now, QueueStatus... queues) {
        return DecisionRound.run(policy, now, List.of(queues));
    }

    /** A queue snapshot under construction. */
    static final class Q {
        private final long id;
        private boolean ready;
        private long readySince = -1;
        private final Map<Class<? extends Hint>, Hint> hints = new HashMap<>();
        private Set<Long> lenders = Set.of();
        private int inFlight;
        private int device;
        private boolean suspended;

        private Q(long id) {
            this.id = id;
        }

        static Q idle(long id) {
            return new Q(id);
        }

        static Q ready(long id, long since) {
            Q q = new Q(id);
            q.ready = true;
            q.readySince = since;
            return q;
        }

        Q hint(Hint hint) {
            hints.put(hint.getClass(), hint);
            return this;
        }

        Q device(int index) {
            device = index;
            return this;
        }

        Q inFlight(int commands) {
            inFlight = commands;
            return this;
        }

        /** Releases are stopped (the snapshot of a queue the policy suspended earlier). */
        Q suspended() {
            suspended = true;
            return this;
        }

        Q lenders(Long... waiters) {
            lenders = Set.of(waiters);
            return this;
        }

        QueueStatus build() {
            return new QueueStatus(id, "q" + id, device, ready, readySince, suspended, ready ? 1 : 0, inFlight, 0, hints, lenders);
        }
    }

    static QueueStatus[] all(Q... qs) {
        QueueStatus[] out = new QueueStatus[qs.length];
        for (int i = 0; i < qs.length; i++) {
            out[i] = qs[i].build();
        }
        return out;
    }
}
