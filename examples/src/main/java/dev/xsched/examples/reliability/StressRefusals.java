package dev.xsched.examples.reliability;

import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.sim.SimulatedPlatform;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exceptions the API documents for a race the stress provokes on purpose: a queue used while
 * or after another thread closes it ({@code XQueue.close(CloseMode)}: submissions are rejected,
 * waits for dropped commands throw, waits end when the queue closes; hints name a queue its
 * scheduler no longer has); and the failure of a queue the stress made fail on purpose (a launch
 * of {@link ApiStress}'s faulting kernel), as {@code XQueue} documents it: waits on the queue,
 * and on the device or an event it recorded, throw its {@link HipException}, submissions to it
 * are rejected with {@link IllegalStateException} caused by it, and a close throws it if no caller
 * was told yet; an arm of the cross-process stop ({@code XQueue.armRemoteStop}) of a queue that
 * another thread armed first. Anything else is a failure of the stress, a failure naming a queue that was not
 * given a faulting launch or that the operation had no business with included.
 */
final class StressRefusals {
    /** The call of an injected failure once its queue described it ({@code QueueLifecycle.describe}). */
    private static final Pattern INJECTED = Pattern.compile("XQueue (\\S+) launch " + ApiStress.FAULTY
            + ": hipModuleLaunchKernel\\(" + ApiStress.FAULTY + ", .*\\[" + Pattern.quote(SimulatedPlatform.INJECTED_FAULT) + "]");

    private StressRefusals() {
    }

    /**
     * A short name for a documented refusal, or null if {@code e} is not one.
     *
     * @param mayHaveFailed the queues (by name) whose injected failure the operation may meet
     */
    static String classify(RuntimeException e, Predicate<String> mayHaveFailed) {
        String failed = failedQueue(e);
        if (failed != null) {
            if (!mayHaveFailed.test(failed)) {
                return null;
            }
            return e instanceof HipException ? "the failure of a faulted queue" : "submission to a failed queue";
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof IllegalStateException && message.startsWith("XQueue ") && message.endsWith(" is closed")) {
            return "queue closed";
        }
        // XQueue.armRemoteStop: a queue has one stop word at most (another thread armed it first).
        if (e instanceof IllegalStateException && message.startsWith("XQueue ") && message.contains(" already has a remote stop")) {
            return "queue already armed";
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

    /**
     * The name of the queue whose injected fault {@code e} reports (the failure itself, or a
     * submission rejected because of it), or null if {@code e} is not such a report.
     */
    static String failedQueue(RuntimeException e) {
        HipException failure = null;
        if (e instanceof HipException hip) {
            failure = hip;
        } else if (e instanceof IllegalStateException && e.getCause() instanceof HipException hip) {
            failure = hip;
        }
        if (failure == null || !failure.is(HipError.LAUNCH_FAILURE)) {
            return null;
        }
        Matcher call = INJECTED.matcher(failure.call());
        if (!call.matches()) {
            return null;
        }
        String queue = call.group(1);
        if (failure != e && !String.valueOf(e.getMessage()).startsWith("XQueue " + queue + " failed earlier: ")) {
            return null;
        }
        return queue;
    }

    /** The exception with the first frames of its stack (enough to find it, short enough for a log). */
    static String describe(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        String[] lines = text.toString().split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 16)));
    }
}
