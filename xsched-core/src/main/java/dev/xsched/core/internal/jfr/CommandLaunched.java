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
 * JFR event: an xqueue released a command to the hardware stream.
 *
 * <p>Off unless a recording enables it ({@code +dev.xsched.CommandLaunched#enabled=true} in
 * {@code -XX:StartFlightRecording}, or {@code Recording.enable}): it fires for every command,
 * hundreds of thousands of times a second at launch rates, and a recording with the JDK's default
 * settings, which services often keep running, would otherwise pay for it on every launch.
 */
@Enabled(false)
@Name("dev.xsched.CommandLaunched")
@Label("Command launched")
@Category({"XSched"})
@Description("An XQueue released a command to the hardware stream")
public final class CommandLaunched extends Event {
    private static final EventType TYPE = EventType.getEventType(CommandLaunched.class);

    @Label("Queue id")
    long queueId;
    @Label("Seq")
    long seq;
    @Label("Kind")
    String kind;
    @Label("Buffered nanos")
    @Timespan(Timespan.NANOSECONDS)
    long bufferedNanos;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    public static void emit(long queueId, long seq, String kind, long bufferedNanos) {
        CommandLaunched event = new CommandLaunched();
        event.queueId = queueId;
        event.seq = seq;
        event.kind = kind;
        event.bufferedNanos = bufferedNanos;
        event.commit();
    }
}
