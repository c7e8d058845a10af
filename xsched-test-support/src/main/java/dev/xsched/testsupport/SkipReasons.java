package dev.xsched.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Prints why tests did not run, in the build log rather than only in the XML reports: a test
 * skipped ({@code @Disabled}, a condition) or aborted (a failed assumption, such as "no GPU"),
 * one line per test class and reason: {@code [skipped] ConvKernelGpuTest (60 tests): no GPU: ...}.
 */
public final class SkipReasons implements TestExecutionListener {
    private final PrintStream out;
    /** Per class: reason to number of tests, in order of appearance. */
    private final Map<String, Map<String, Integer>> byClass = new LinkedHashMap<>();

    public SkipReasons() {
        this(System.out);
    }

    SkipReasons(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        note(test, reason == null || reason.isBlank() ? "no reason given" : reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            note(test, result.getThrowable().map(Throwable::getMessage).filter(m -> !m.isBlank())
                    .map(m -> m.replaceFirst("^Assumption failed: ", "")).orElse("aborted without a reason"));
        }
        if (test.getSource().orElse(null) instanceof ClassSource source) {
            flush(source.getClassName());
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        byClass.keySet().stream().toList().forEach(this::flush);
    }

    private synchronized void note(TestIdentifier test, String reason) {
        String className = className(test).orElse(test.getDisplayName());
        // A skipped class counts as one entry; so does each skipped or aborted method.
        byClass.computeIfAbsent(className, c -> new LinkedHashMap<>()).merge(firstLine(reason), 1, Integer::sum);
    }

    private synchronized void flush(String className) {
        Map<String, Integer> reasons = byClass.remove(className);
        if (reasons == null) {
            return;
        }
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        reasons.forEach((reason, count) -> out.println("[skipped] " + simpleName
                + (count > 1 ? " (" + count + " tests)" : "") + ": " + reason));
        out.flush();
    }

    private static Optional<String> className(TestIdentifier test) {
        return test.getSource().map(source -> switch (source) {
            case MethodSource method -> method.getClassName();
            case ClassSource type -> type.getClassName();
            default -> null;
        });
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
