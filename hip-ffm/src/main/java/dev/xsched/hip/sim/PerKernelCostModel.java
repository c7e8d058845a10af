package dev.xsched.hip.sim;

import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;

import java.util.Map;
import java.util.TreeMap;

/** {@link KernelCostModel#perKernel}: a block duration per kernel name, and one for the rest. */
record PerKernelCostModel(Map<String, Long> nanosByName, long otherwiseNanos) implements KernelCostModel {
    @Override
    public long blockNanos(String kernelName, LaunchConfig config, KernelArgs args) {
        return nanosByName.getOrDefault(kernelName, otherwiseNanos);
    }

    @Override
    public String toString() {
        return "per kernel " + new TreeMap<>(nanosByName) + " ns per block, otherwise " + otherwiseNanos + " ns";
    }
}
