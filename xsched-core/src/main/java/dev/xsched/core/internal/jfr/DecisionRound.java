package dev.xsched.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR event: one decision round of a scheduler, from reading its queues' states to the last
 * suspend or resume applied, on whichever thread ran it (the scheduling thread, or a submitting
 * thread that decides on submit). Its duration splits into the states' reading, the policy's (or
 * decision source's) answer, and the rest: applying it, the stop flags' writes included
 * ({@link StopFlagWrite} times those).
 *
 * <p>Why it exists: the first call of an online request that preempts a batch queue took 60 us
 * more than on a plain stream on the H200's host (docs/results.md, round 40): about half before
 * the batch queue's suspension began and half after it; this event tells the round's parts apart
 * on the machine where that happens.
 *
 * <p>Off unless a recording enables it ({@code +dev.xsched.DecisionRound#enabled=true}): a busy
 * scheduler runs rounds at the rate of its queues' transitions.
 */
@Enabled(false)
@Name("dev.xsched.DecisionRound")
@Label("Decision round")
@Category({"XSched"})
@Description("A scheduler read its queues' states, asked its policy and applied the answer")
public final class DecisionRound extends Event {
    private static final EventType TYPE = EventType.getEventType(DecisionRound.class);

    @Label("Policy")
    String policy;
    @Label("Queues")
    int queues;
    @Label("Queues changed")
    int changed;
    @Label("Reading the states")
    @Timespan(Timespan.NANOSECONDS)
    long statesNanos;
    @Label("Deciding")
    @Timespan(Timespan.NANOSECONDS)
    long decidingNanos;

    /** Not recorded (transient): where the parts' timing starts. */
    private transient long startedAt;
    private transient long decidingFrom;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    /** Starts timing a round, as it begins to read the states. */
    public static DecisionRound started() {
        DecisionRound event = new DecisionRound();
        event.begin();
        event.startedAt = System.nanoTime();
        return event;
    }

    /** The states are read; the policy (or the decision source) decides from now. */
    public void statesRead() {
        decidingFrom = System.nanoTime();
        statesNanos = decidingFrom - startedAt;
    }

    /** The answer is in; it is applied from now. */
    public void decided() {
        decidingNanos = System.nanoTime() - decidingFrom;
    }

    /** The answer is applied to {@code queues} queues, {@code changed} of which changed; commits. */
    public void applied(String policy, int queues, int changed) {
        this.policy = policy;
        this.queues = queues;
        this.changed = changed;
        commit();
    }
}
