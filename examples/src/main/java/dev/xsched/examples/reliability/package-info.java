/**
 * The reliability commands: {@code xsched soak} (many queues, millions of commands, native memory
 * and RSS sampled, every command accounted for once) and {@code xsched stress} (threads calling
 * the public API at random against a watchdog that turns a hang into a failure with a thread
 * dump). docs/reliability.md has their figures.
 */
package dev.xsched.examples.reliability;
