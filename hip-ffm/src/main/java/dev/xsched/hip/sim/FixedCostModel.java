package dev.xsched.hip.sim;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;

/** {@link KernelCostModel#fixed}: one block duration for everything. */
record FixedCostModel(long blockNanos) implements KernelCostModel {
    @Override
    public long blockNanos(String kernelName, LaunchConfig config, KernelArgs args) {
        return blockNanos;
    }

    @Override
    public String toString() {
        return "fixed " + blockNanos + " ns per block";
    }
}
