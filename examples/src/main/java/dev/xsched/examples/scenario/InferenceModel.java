package dev.xsched.examples.scenario;

import dev.xsched.hip.CommandQueue;

/** A model the scenario runs: one forward pass enqueued on a queue, without waiting for it. */
interface InferenceModel extends AutoCloseable {
    String name();

    int batch();

    /** Enqueues one forward pass (input to logits) on {@code queue}. */
    void forward(CommandQueue queue);

    /**
     * Enqueues one forward pass with its long kernels made preemptible (split into slices, or
     * launched yieldable), for a scheduled queue that can stop inside them; models without such
     * kernels enqueue as {@link #forward}.
     */
    default void forwardPreemptible(CommandQueue queue) {
        forward(queue);
    }

    @Override
    void close();
}
