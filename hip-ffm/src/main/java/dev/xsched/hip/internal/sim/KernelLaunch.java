package dev.xsched.hip.internal.sim;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.sim.SimKernelBody;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel launch: {@code blocks} thread blocks of {@code blockNanos} each. Once at the head of its
 * stream (and after the launch latency) it is {@link #eligible} and the block dispatcher gives its
 * blocks free slots; it completes when the last block does.
 */
final class KernelLaunch extends Command {
    final String kernelName;
    final LaunchConfig config;
    final KernelArgs args;
    /** Null when the kernel has no Java body. */
    final SimKernelBody body;
    final long blockNanos;
    final long blocks;
    final long submitNanos;
    /** The control words of a managed yieldable launch, else null. */
    final YieldControl yield;
    /** Block groups running now; kept for yieldable launches only, whose groups can be stopped. */
    final List<BlockGroup> running = new ArrayList<>(0);
    /** A block of this launch stopped early: the kernel's Java body waits for the launch that finishes. */
    boolean stoppedEarly;
    boolean eligible;
    long dispatched;
    long completed;
    long startNanos = -1;

    KernelLaunch(long seq, StreamState stream, String kernelName, LaunchConfig config, KernelArgs args,
                 SimKernelBody body, long blockNanos, long submitNanos, YieldControl yield) {
        super(seq, stream);
        this.kernelName = kernelName;
        this.config = config;
        this.args = args;
        this.body = body;
        this.blockNanos = blockNanos;
        this.blocks = config.grid().volume();
        this.submitNanos = submitNanos;
        this.yield = yield;
    }

    long undispatched() {
        return blocks - dispatched;
    }

    /** Whether this launch's blocks go before {@code other}'s when a slot frees. */
    boolean precedes(KernelLaunch other, boolean hardwarePriority) {
        if (hardwarePriority && stream.priority != other.stream.priority) {
            return stream.priority < other.stream.priority;
        }
        return seq < other.seq;
    }
}
