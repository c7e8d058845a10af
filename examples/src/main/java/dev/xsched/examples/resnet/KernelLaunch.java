package dev.xsched.examples.resnet;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;

import java.util.Objects;

/**
 * One launch of a built model: the plan, the loaded kernel and its arguments (device pointers
 * into the model's buffers, bound once at build). Enqueueing it costs one {@code launch} call.
 */
public record KernelLaunch(PlannedLaunch plan, Kernel kernel, KernelArgs args) {
    public KernelLaunch {
        Objects.requireNonNull(plan, "plan");
        if (!kernel.name().equals(plan.kernel())) {
            throw new IllegalArgumentException("planned kernel " + plan.kernel() + ", got " + kernel.name());
        }
        kernel.checkArgs(args);
    }

    public void enqueue(CommandQueue queue) {
        queue.launch(kernel, plan.config(), args);
    }

    @Override
    public String toString() {
        return plan.toString();
    }
}
