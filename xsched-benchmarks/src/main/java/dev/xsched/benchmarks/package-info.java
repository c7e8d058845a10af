/**
 * JMH microbenchmarks of the CPU side of scheduling (submission through an XQueue against a plain
 * stream on the simulated platform); {@code docs/benchmarks.md} has the figures and the command.
 */
package dev.xsched.benchmarks;
