/**
 * JMH microbenchmarks of the CPU side of scheduling (submission through an XQueue against a plain
 * stream on the simulated platform, and on hip-ffm's NVIDIA platform over the fake driver of its
 * tests); {@code docs/benchmarks.md} has the figures and the commands.
 */
package dev.xsched.benchmarks;
