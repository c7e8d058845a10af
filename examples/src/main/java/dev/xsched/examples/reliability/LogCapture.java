package dev.xsched.examples.reliability;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the library logs at WARNING or above while a run lasts (a policy that threw, a
 * scheduler step that failed, a callback that threw) instead of printing it: for a stress run each
 * of those is a finding, and the caller decides how to report it.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private static final String ROOT = "dev.xsched";

    private final Logger logger = Logger.getLogger(ROOT);
    private final boolean usedParentHandlers;
    private final List<String> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        usedParentHandlers = logger.getUseParentHandlers();
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            records.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                    + (record.getThrown() == null ? "" : "\n" + StressRefusals.describe(record.getThrown())));
        }
    }

    List<String> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(usedParentHandlers);
    }
}
