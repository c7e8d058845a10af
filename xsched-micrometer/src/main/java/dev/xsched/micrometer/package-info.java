/**
 * Micrometer meters for XSched: bind an {@link dev.xsched.micrometer.XSchedulerMetrics} to a
 * {@code MeterRegistry} and every queue of the scheduler reports what is buffered, what is in
 * flight, whether and for how long it was suspended, and how many commands it took and finished;
 * the scheduler reports its decisions and policy failures. Every figure is read from xsched-core's
 * public counters ({@link dev.xsched.core.XQueueStats}, {@link dev.xsched.core.XScheduler}) when
 * the registry asks, so binding adds no cost to the scheduling path.
 */
package dev.xsched.micrometer;
