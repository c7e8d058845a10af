package dev.xsched.policies;

import dev.xsched.core.XQueue;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.PolicyInfo;
import dev.xsched.core.policy.PolicyParameters;
import dev.xsched.core.policy.PolicyProvider;
import dev.xsched.core.policy.QueueStatus;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.sim.KernelRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.xsched.policies.SimRig.MS;
import static dev.xsched.policies.SimRig.US;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How to write a policy of your own, outside this library, and plug it in.
 *
 * <p>A policy is one class implementing {@link Policy}: {@link Policy#schedule} sees a snapshot of
 * every queue ({@link QueueStatus}: ready or idle, since when, suspended, buffered and in-flight
 * counts, hints, lenders) and says which to {@code suspend} and which to {@code resume}; it may ask
 * to be called again at a time ({@code wakeUpAt}). The scheduler calls it from one thread after
 * every event, so it needs no locking. Rules of thumb, which the policies of this library follow:
 * <ul>
 *   <li>decide about every queue, idle ones too: an idle queue left resumed releases its next
 *       commands before the policy sees them;</li>
 *   <li>keep at least one ready queue running (work-conserving), and resume everything when
 *       nothing is ready;</li>
 *   <li>measure time with {@code context.now()}, never {@code System.nanoTime()} (tests run on
 *       virtual time);</li>
 *   <li>never throw on odd input: a throwing policy makes the scheduler fail open (every queue
 *       runs) until the next decision.</li>
 * </ul>
 *
 * <p>Hints are any record implementing {@link Hint}; programs attach them with
 * {@code queue.hint(...)}, and the policy reads the latest of each type from the snapshot.
 *
 * <p>Two ways in:
 * <ol>
 *   <li>Directly, no discovery: {@code XScheduler.builder().policy(new InteractiveFirst(...))}, or
 *       through its provider as below. This is what the test does.</li>
 *   <li>By name ({@code XSCHED_POLICY=interactive-first}, {@code builder().policy("interactive-first")},
 *       listed by {@code xsched policies}): register the provider for {@link java.util.ServiceLoader}:
 *       in {@code module-info.java}
 *       {@code provides dev.xsched.core.policy.PolicyProvider with com.example.InteractiveFirst.Provider;}
 *       and, for class-path users, a line {@code com.example.InteractiveFirst$Provider} in
 *       {@code META-INF/services/dev.xsched.core.policy.PolicyProvider} (a nested class is named with
 *       {@code $}). Its parameters then come from {@code -Dxsched.policy.interactive-first.<name>} or
 *       {@code XSCHED_INTERACTIVE_FIRST_<NAME>}.</li>
 * </ol>
 */
class CustomPolicyExampleTest {

    /** A hint of our own: the service tier of a queue. */
    record Tier(String name) implements Hint {
        static final Tier INTERACTIVE = new Tier("interactive");
        static final Tier BATCH = new Tier("batch");
    }

    /**
     * Interactive queues first; batch queues run only when no interactive queue has work, and then
     * at most {@code batch-slots} of them at a time (oldest ready first). Queues without a tier
     * count as batch.
     */
    static final class InteractiveFirst implements Policy {
        private final int batchSlots;

        InteractiveFirst(int batchSlots) {
            this.batchSlots = batchSlots;
        }

        @Override
        public String name() {
            return "interactive-first";
        }

        @Override
        public void schedule(SchedulingContext context) {
            List<QueueStatus> queues = context.queues();
            boolean interactiveBusy = queues.stream().anyMatch(q -> q.ready() && interactive(q));
            List<Long> batchToRun = queues.stream()
                    .filter(q -> q.ready() && !interactive(q))
                    .sorted((a, b) -> Long.compare(a.readySince(), b.readySince()))
                    .limit(interactiveBusy ? 0 : batchSlots)
                    .map(QueueStatus::id)
                    .toList();
            for (QueueStatus q : queues) {
                boolean run = interactive(q) || batchToRun.contains(q.id())
                        || (!q.ready() && !interactiveBusy && batchToRun.size() < batchSlots);
                if (run) {
                    context.resume(q.id());
                } else {
                    context.suspend(q.id());
                }
            }
        }

        private static boolean interactive(QueueStatus queue) {
            return queue.hint(Tier.class).map(Tier.INTERACTIVE::equals).orElse(false);
        }

        /** The provider: what ServiceLoader would find; usable directly too. */
        @PolicyInfo(name = "interactive-first",
                description = "interactive queues (Tier hint) first; batch queues only when no interactive one has work",
                parameters = {"batch-slots (1): batch queues running at once; -Dxsched.policy.interactive-first.batch-slots or XSCHED_INTERACTIVE_FIRST_BATCH_SLOTS"})
        static final class Provider implements PolicyProvider {
            @Override
            public Policy create(PolicyParameters parameters) {
                return new InteractiveFirst(Math.max(1, parameters.intValue("batch-slots", 1)));
            }
        }
    }

    @Test
    void aUserDefinedPolicyAndHintPluggedInWithoutServiceLoader() {
        // Through the provider (parameters as the property/environment lookup would give them)...
        Policy policy = new InteractiveFirst.Provider().create(PolicyParameters.fromSystem("interactive-first", Map.of("batch-slots", "1")));
        // ...or simply new InteractiveFirst(1). Then: XScheduler.builder().policy(policy).build().
        try (SimRig rig = new SimRig(policy, 4, false, 20 * US, "batch", "chat")) {
            XScheduler scheduler = rig.scheduler;
            assertThat(scheduler.policyName()).isEqualTo("interactive-first");

            XQueue batchA = rig.queue("batch-a", 4, 2, Tier.BATCH);
            XQueue batchB = rig.queue("batch-b", 4, 2); // no tier: batch
            XQueue chat = rig.queue("chat", 4, 2, Tier.INTERACTIVE);
            rig.keepBusy(batchA, "batch", 4, 500 * US, 4);
            rig.keepBusy(batchB, "batch", 4, 500 * US, 4);
            for (int i = 0; i < 5; i++) {
                rig.at(10 * MS + i * 9_100 * US, () -> rig.launch(chat, "chat", 1, 100 * US));
            }
            rig.runUntil(60 * MS);

            // One batch queue at a time: batch-b waits for batch-a, which is always busy. Both became
            // ready at the same instant while resumed (nothing was ready before), so batch-b had
            // already released its first burst (threshold 4) when the policy first saw it: that
            // burst is all it runs.
            assertThat(rig.kernels(batchA)).hasSizeGreaterThan(50);
            assertThat(rig.kernels(batchB)).hasSizeLessThanOrEqualTo(4);
            // Interactive work waits at most for the batch kernels already in flight (4 x 0.5 ms).
            List<KernelRecord> chats = rig.kernels(chat);
            assertThat(chats).hasSize(5);
            assertThat(chats).allMatch(r -> r.waitNanos() <= 2 * MS + 20 * US);
        }
    }

    @Test
    void theProvidersAnnotationDescribesItWithoutCreatingIt() {
        PolicyInfo info = InteractiveFirst.Provider.class.getAnnotation(PolicyInfo.class);
        assertThat(info.name()).isEqualTo("interactive-first");
        assertThat(info.parameters()).singleElement().asString().startsWith("batch-slots (1)");
    }
}
