package dev.xsched.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the test log quiet: log records (java.util.logging, which {@link System.Logger} writes to)
 * are held while a test runs and printed through the usual handlers only if that test fails. Tests
 * that break a policy or a queue on purpose, and check that the failure is reported, then leave
 * no SEVERE lines and stack traces in a passing build; a failing test still shows what was
 * logged while it ran.
 */
public final class QuietLogs implements TestExecutionListener {
    private final Logger root = Logger.getLogger("");
    private final Held held = new Held();
    private List<Handler> console = List.of();

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        console = List.of(root.getHandlers());
        console.forEach(root::removeHandler);
        root.addHandler(held);
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (test.isTest()) {
            held.drain();
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        List<LogRecord> records = test.isTest() || result.getStatus() == TestExecutionResult.Status.FAILED
                ? held.drain() : List.of();
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            publish(records);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        root.removeHandler(held);
        console.forEach(root::addHandler);
        held.drain(); // logged after the last test, by no test: nothing to attribute it to
    }

    private void publish(List<LogRecord> records) {
        for (LogRecord record : records) {
            for (Handler handler : console) {
                handler.publish(record);
            }
        }
        console.forEach(Handler::flush);
    }

    /** Holds records until the test that logged them is over. */
    private static final class Held extends Handler {
        private final List<LogRecord> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        synchronized List<LogRecord> drain() {
            List<LogRecord> out = List.copyOf(records);
            records.clear();
            return out;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
