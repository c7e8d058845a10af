/**
 * The policy SPI. A {@link dev.xsched.core.policy.Policy} is called on the scheduler's thread
 * after every event with a {@link dev.xsched.core.policy.SchedulingContext}: the
 * {@link dev.xsched.core.policy.QueueStatus} of every queue (ready since when, suspended,
 * buffered, in flight, its {@link dev.xsched.core.policy.Hint}s) and the calls that decide
 * (suspend, resume, wake me up at). Policies are found by name through
 * {@link dev.xsched.core.policy.PolicyProvider}s annotated with
 * {@link dev.xsched.core.policy.PolicyInfo} ({@link dev.xsched.core.policy.Policies} lists and
 * creates them) and read their parameters from {@link dev.xsched.core.policy.PolicyParameters}.
 * xsched-core itself provides only {@code pass-through} ({@link dev.xsched.core.policy.PassThroughPolicy});
 * the policies of XSched are in xsched-policies.
 */
package dev.xsched.core.policy;
