package dev.xsched.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event: the host wrote an XQueue's cooperative-yield stop flag, its duration the driver
 * calls that did it (a 4-byte copy on the queue's flag stream, and after a lowering the event that
 * the next release waits for). A raise lies on the path of the request that preempts the queue
 * (see {@link DecisionRound}).
 *
 * <p>Off unless a recording enables it ({@code +dev.xsched.StopFlagWrite#enabled=true}).
 */
@Enabled(false)
@Name("dev.xsched.StopFlagWrite")
@Label("Stop flag written")
@Category({"XSched"})
@Description("The host wrote an XQueue's stop flag (raised or lowered)")
public final class StopFlagWrite extends Event {
    private static final EventType TYPE = EventType.getEventType(StopFlagWrite.class);

    @Label("Queue")
    String queue;
    @Label("Raised")
    boolean raised;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    /** Starts timing a write. */
    public static StopFlagWrite started() {
        StopFlagWrite event = new StopFlagWrite();
        event.begin();
        return event;
    }

    /** The write of {@code queue}'s flag ({@code raised}: to 1) is issued; commits. */
    public void written(String queue, boolean raised) {
        this.queue = queue;
        this.raised = raised;
        commit();
    }
}
