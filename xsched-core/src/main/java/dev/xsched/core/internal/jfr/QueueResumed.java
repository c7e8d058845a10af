package dev.xsched.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: the scheduler let an xqueue release again. */
@Name("dev.xsched.QueueResumed")
@Label("Queue resumed")
@Category({"XSched"})
@Description("The scheduler let an XQueue release again")
public final class QueueResumed extends Event {
    private static final EventType TYPE = EventType.getEventType(QueueResumed.class);

    @Label("Queue id")
    long queueId;
    @Label("Policy")
    String policy;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    public static void emit(long queueId, String policy) {
        QueueResumed event = new QueueResumed();
        event.queueId = queueId;
        event.policy = policy;
        event.commit();
    }
}
