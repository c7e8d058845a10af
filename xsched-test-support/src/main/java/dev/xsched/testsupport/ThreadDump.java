package dev.xsched.testsupport;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Every live thread with its whole stack, the locks it holds and the one it waits for, and any
 * deadlock the JVM finds: what a hang report carries. ({@link ThreadInfo#toString()} cuts stacks at
 * eight frames, too few to see where a wait inside a library began.)
 */
public final class ThreadDump {
    private ThreadDump() {
    }

    /**
     * A dump of every live thread.
     *
     * @return the dump, one block per thread
     */
    public static String take() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null) {
            out.append("DEADLOCK among thread ids ").append(Arrays.toString(deadlocked)).append('\n');
        }
        for (ThreadInfo info : threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported())) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockInfo() != null) {
                out.append(" on ").append(info.getLockInfo());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            for (int depth = 0; depth < stack.length; depth++) {
                out.append("\tat ").append(stack[depth]).append('\n');
                for (MonitorInfo monitor : info.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == depth) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            for (LockInfo lock : info.getLockedSynchronizers()) {
                out.append("\t- locked ").append(lock).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
