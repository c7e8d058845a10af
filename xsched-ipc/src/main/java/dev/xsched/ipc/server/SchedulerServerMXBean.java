package dev.xsched.ipc.server;

import dev.xsched.core.XSchedulerMXBean;

/**
 * The scheduler server's MXBean: an in-process scheduler's view ({@link XSchedulerMXBean}) and what
 * the server itself costs.
 */
public interface SchedulerServerMXBean extends XSchedulerMXBean {
    /**
     * CPU time of the server's thread since it started.
     *
     * @return nanoseconds, -1 where not measurable here
     */
    long getServerThreadCpuNanos();

    /**
     * CPU time of the server's whole JVM.
     *
     * @return nanoseconds, -1 where the platform does not report it
     */
    long getServerProcessCpuNanos();
}
