/**
 * Coordination of scheduling decisions: {@link dev.xsched.core.coordination.PolicyRunner} runs a
 * policy over queue snapshots (in this process or in a scheduler server), and
 * {@link dev.xsched.core.coordination.DecisionSource} lets an {@link dev.xsched.core.XScheduler}
 * take its decisions from elsewhere, such as a server shared by several processes.
 */
package dev.xsched.core.coordination;
