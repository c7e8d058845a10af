/**
 * Preemptive scheduling of GPU work. An {@link dev.xsched.core.XQueue} offers the calls of a
 * stream ({@link dev.xsched.hip.CommandQueue}) but keeps submitted commands in a host-side buffer
 * and releases them progressively to its hardware stream: at most
 * {@link dev.xsched.core.XQueueConfig#threshold()} in flight, a sync point every
 * {@link dev.xsched.core.XQueueConfig#batchSize()}. An {@link dev.xsched.core.XScheduler} owns the
 * queues and one scheduling thread that runs the active policy
 * ({@link dev.xsched.core.policy.Policy}) after every event and suspends or resumes queues; a
 * suspended queue releases nothing more, and its running yieldable kernels stop early.
 *
 * <p>{@link dev.xsched.core.AutoXQueues} turns streams into queues of a process-wide scheduler
 * configured from XSched's environment variables. {@link dev.xsched.core.XQueueStats} and
 * {@link dev.xsched.core.XSchedulerMXBean} (registered as
 * {@code dev.xsched:type=XScheduler,name=...}) expose the counters; JFR events
 * ({@code dev.xsched.CommandSubmitted}, {@code CommandLaunched}, {@code SyncPointCompleted},
 * {@code QueueSuspended}, {@code QueueResumed}, {@code PolicyFailed}) record what happened when.
 * Time comes from a {@link dev.xsched.core.SchedulerClock}, so tests run on virtual time.
 */
package dev.xsched.core;
