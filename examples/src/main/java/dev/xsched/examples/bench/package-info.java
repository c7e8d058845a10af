/**
 * The GPU benchmarks of the {@code xsched} command: {@code bench launch} (launch round trip and
 * throughput, with a C twin), {@code bench policies} (bandwidth partition, fair sharing, deadlines
 * and priorities against native streams and stream priorities) and {@code bench preemption} (how
 * long a high-priority kernel waits behind low-priority blocks, per preemption mechanism); their
 * accounting, reports and charts.
 */
package dev.xsched.examples.bench;
