package dev.xsched.examples.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * How a benchmark runs its jobs' queues, written as the user types it and the results print it:
 * <ul>
 *   <li>{@code standalone-hp}, {@code standalone-lp}: one of the scenario's two jobs alone, on a
 *       plain stream (the reference the others are measured against);</li>
 *   <li>{@code native}: every job on a plain stream of the same (least) priority;</li>
 *   <li>{@code native-priority}: plain streams, the more urgent job on a higher hardware stream
 *       priority;</li>
 *   <li>{@code xsched-POLICY}: XQueues of one scheduler running that policy.</li>
 * </ul>
 */
public sealed interface Mode permits Mode.Standalone, Mode.Native, Mode.Scheduled {
    Mode STANDALONE_HP = new Standalone(Job.HP);
    Mode STANDALONE_LP = new Standalone(Job.LP);
    Mode NATIVE = new Native(false);
    Mode NATIVE_PRIORITY = new Native(true);

    /** The mode as typed and printed. */
    String label();

    /** The policy-scheduled mode {@code xsched-policy}. */
    static Mode xsched(String policy) {
        return new Scheduled(policy);
    }

    /** The mode a label names; an {@link IllegalArgumentException} lists the valid ones. */
    static Mode parse(String label) {
        String text = label.strip().toLowerCase(Locale.ROOT);
        for (Mode fixed : new Mode[] {STANDALONE_HP, STANDALONE_LP, NATIVE, NATIVE_PRIORITY}) {
            if (fixed.label().equals(text)) {
                return fixed;
            }
        }
        if (text.startsWith(Scheduled.PREFIX) && text.length() > Scheduled.PREFIX.length()) {
            return new Scheduled(text.substring(Scheduled.PREFIX.length()));
        }
        throw new IllegalArgumentException("unknown mode '" + label
                + "' (standalone-hp, standalone-lp, native, native-priority or xsched-POLICY)");
    }

    /** The scenario's two jobs. */
    enum Job {
        /** The latency-sensitive job (ResNet-18 requests). */
        HP,
        /** The throughput job (ResNet-50 batches). */
        LP
    }

    /** One job alone on a plain stream. */
    record Standalone(Job job) implements Mode {
        public Standalone {
            Objects.requireNonNull(job, "job");
        }

        @Override
        public String label() {
            return "standalone-" + job.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** Plain streams; with {@code streamPriorities}, the urgent job's on a higher hardware priority. */
    record Native(boolean streamPriorities) implements Mode {
        @Override
        public String label() {
            return streamPriorities ? "native-priority" : "native";
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** XQueues of one scheduler running {@code policy} (a name {@code xsched policies} lists). */
    record Scheduled(String policy) implements Mode {
        static final String PREFIX = "xsched-";

        public Scheduled {
            if (policy == null || policy.isBlank()) {
                throw new IllegalArgumentException("a scheduled mode names its policy: xsched-POLICY");
            }
            policy = policy.strip().toLowerCase(Locale.ROOT); // policy names are lower case: --policy HPF is hpf
        }

        @Override
        public String label() {
            return PREFIX + policy;
        }

        @Override
        public String toString() {
            return label();
        }
    }
}
