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
 * JFR event: a batch of an xqueue's released commands completed.
 *
 * <p>Off unless a recording enables it ({@code +dev.xsched.SyncPointCompleted#enabled=true} in
 * {@code -XX:StartFlightRecording}, or {@code Recording.enable}): it fires for every sync point,
 * tens of thousands of times a second at launch rates, and a recording with the JDK's default
 * settings, which services often keep running, would otherwise pay for it on every launch.
 */
@Enabled(false)
@Name("dev.xsched.SyncPointCompleted")
@Label("Sync point completed")
@Category({"XSched"})
@Description("A batch of an XQueue's released commands completed")
public final class SyncPointCompleted extends Event {
    private static final EventType TYPE = EventType.getEventType(SyncPointCompleted.class);

    @Label("Queue id")
    long queueId;
    @Label("Commands")
    long commands;
    @Label("Latency nanos")
    @Timespan(Timespan.NANOSECONDS)
    long latencyNanos;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    public static void emit(long queueId, long commands, long latencyNanos) {
        SyncPointCompleted event = new SyncPointCompleted();
        event.queueId = queueId;
        event.commands = commands;
        event.latencyNanos = latencyNanos;
        event.commit();
    }
}
