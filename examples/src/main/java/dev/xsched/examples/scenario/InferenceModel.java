package dev.xsched.examples.scenario;

import dev.xsched.hip.CommandQueue;

/** A model the scenario runs: one forward pass enqueued on a queue, without waiting for it. */
interface InferenceModel extends AutoCloseable {
    String name();

    int batch();

    /** Enqueues one forward pass (input to logits) on {@code queue}. */
    void forward(CommandQueue queue);

    @Override
    void close();
}
