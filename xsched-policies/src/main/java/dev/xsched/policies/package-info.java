/**
 * The scheduling policies of XSched for the policy SPI of xsched-core. Select one by name with
 * {@code XSCHED_POLICY=<name>} or {@code XScheduler.builder().policy("<name>")}; give queues hints
 * with {@code queue.hint(...)}; {@link dev.xsched.policies.PolicyCatalog#format()} lists them with
 * their parameters.
 *
 * <table class="striped">
 *   <caption>Policies</caption>
 *   <thead><tr><th>name</th><th>runs</th><th>hints</th><th>parameters</th><th>may starve</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code fifo}</td><td>everything, in arrival order</td><td>-</td><td>-</td><td>no</td></tr>
 *   <tr><td>{@code hpf}</td><td>the highest-priority ready queues</td><td>Priority</td><td>-</td>
 *       <td>lower priorities, while a higher one is busy</td></tr>
 *   <tr><td>{@code kedf}</td><td>the k earliest deadlines</td><td>Deadline, AbsoluteDeadline</td><td>k (1)</td>
 *       <td>queues without a deadline, while k deadline queues are busy</td></tr>
 *   <tr><td>{@code lax}</td><td>the highest current priority</td><td>Laxity, Priority</td><td>-</td>
 *       <td>as hpf, with priorities that rise after the laxity</td></tr>
 *   <tr><td>{@code up}</td><td>one queue per turn of timeslice*util/sum(util)</td><td>Utilization, Timeslice</td>
 *       <td>timeslice (5ms), default-utilization (10)</td><td>no</td></tr>
 *   <tr><td>{@code cfs}</td><td>the least virtual runtime, for a slice</td><td>Weight, Priority</td>
 *       <td>slice (5ms)</td><td>no</td></tr>
 *   <tr><td>{@code mlfq}</td><td>the highest non-empty level, round-robin</td><td>-</td>
 *       <td>levels (4), slice (10ms), boost (1s)</td><td>no (boost)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Durations accept {@code ns}, {@code us}, {@code ms} and {@code s}; a bare number is
 * nanoseconds. Every policy schedules each device on its own (a queue never holds back a queue of
 * another device), decides about every queue at every decision, keeps at least one ready queue of
 * each device running, resumes a device's queues when none of them is ready, measures time only
 * with the scheduler's clock, and treats missing hints as defaults.
 *
 * <p>All of them gate launches (Level-1 preemption): a suspended queue's in-flight commands still
 * run, so a switch takes effect after up to {@code threshold} commands. {@link
 * dev.xsched.policies.HardwarePriorities} adds hardware stream priorities where the device has
 * them, which cuts that to about one thread block.
 */
package dev.xsched.policies;
