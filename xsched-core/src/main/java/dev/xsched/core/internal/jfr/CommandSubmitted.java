package dev.xsched.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event: a command entered an xqueue's host-side buffer.
 *
 * <p>Off unless a recording enables it ({@code +dev.xsched.CommandSubmitted#enabled=true} in
 * {@code -XX:StartFlightRecording}, or {@code Recording.enable}): it fires for every command,
 * hundreds of thousands of times a second at launch rates, and a recording with the JDK's default
 * settings, which services often keep running, would otherwise pay for it on every launch.
 */
@Enabled(false)
@Name("dev.xsched.CommandSubmitted")
@Label("Command submitted")
@Category({"XSched"})
@Description("A command entered an XQueue's host-side buffer")
public final class CommandSubmitted extends Event {
    private static final EventType TYPE = EventType.getEventType(CommandSubmitted.class);

    @Label("Queue id")
    long queueId;
    @Label("Seq")
    long seq;
    @Label("Kind")
    String kind;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    public static void emit(long queueId, long seq, String kind) {
        CommandSubmitted event = new CommandSubmitted();
        event.queueId = queueId;
        event.seq = seq;
        event.kind = kind;
        event.commit();
    }
}
