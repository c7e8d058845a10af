package dev.xsched.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: a policy threw; the scheduler failed open (every queue runs). */
@Name("dev.xsched.PolicyFailed")
@Label("Policy failed")
@Category({"XSched"})
@Description("A policy threw; the scheduler failed open (every queue runs)")
public final class PolicyFailed extends Event {
    private static final EventType TYPE = EventType.getEventType(PolicyFailed.class);

    @Label("Policy")
    String policy;
    @Label("Error")
    String error;

    /** Whether a recording wants this event: callers skip building it otherwise. */
    public static boolean isOn() {
        return TYPE.isEnabled();
    }

    public static void emit(String policy, String error) {
        PolicyFailed event = new PolicyFailed();
        event.policy = policy;
        event.error = error;
        event.commit();
    }
}
