package dev.xsched.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: the scheduler stopped an xqueue's releases. */
@Name("dev.xsched.QueueSuspended")
@Label("Queue suspended")
@Category({"XSched"})
@Description("The scheduler stopped an XQueue's releases")
public final class QueueSuspended extends Event {
    private static final EventType TYPE = EventType.getEventType(QueueSuspended.class);

    @Label("Queue id")
    long queueId;
    @Label("Policy")
    String policy;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    public static void emit(long queueId, String policy) {
        QueueSuspended event = new QueueSuspended();
        event.queueId = queueId;
        event.policy = policy;
        event.commit();
    }
}
