package dev.xsched.examples.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The exceptions the API documents for a race the stress provokes on purpose: a queue used while
 * or after another thread closes it ({@code XQueue.close(CloseMode)}: submissions are rejected,
 * waits for dropped commands throw, waits end when the queue closes; hints name a queue its
 * scheduler no longer has). Anything else is a failure of the stress.
 */
final class StressRefusals {
    private StressRefusals() {
    }

    /** A short name for a documented refusal, or null if {@code e} is not one. */
    static String classify(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof IllegalStateException && message.startsWith("XQueue ") && message.endsWith(" is closed")) {
            return "queue closed";
        }
        if (e instanceof IllegalArgumentException && message.contains(" does not belong to scheduler ")) {
            return "queue removed from its scheduler";
        }
        // XQueue.close(CloseMode): with DROP, waits that include a dropped command throw; waits on a
        // queue from other threads end when it closes.
        if (e instanceof IllegalStateException && message.startsWith("XQueue ") && message.contains(" was closed with DROP: ")) {
            return "waited for a command dropped by close(DROP)";
        }
        if (e instanceof IllegalStateException && message.startsWith("XQueue ") && message.contains(" was closed before command ")) {
            return "wait ended by close";
        }
        return null;
    }

    /** The exception with the first frames of its stack (enough to find it, short enough for a log). */
    static String describe(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        String[] lines = text.toString().split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 16)));
    }
}
