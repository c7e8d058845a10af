/**
 * The simulated GPU platform ({@code HIP_PLATFORM=sim}): {@link dev.xsched.hip.sim.SimulatedPlatform}
 * and what configures and observes it. The platform itself is used through the ordinary
 * {@code dev.xsched.hip} API; this package adds the clock ({@link dev.xsched.hip.sim.VirtualClock}),
 * block durations ({@link dev.xsched.hip.sim.KernelCostModel}, {@link dev.xsched.hip.sim.TraceCostModel}),
 * Java kernel bodies ({@link dev.xsched.hip.sim.SimKernelBody}, {@link dev.xsched.hip.sim.SimMemory})
 * and records of what ran when ({@link dev.xsched.hip.sim.SimListener},
 * {@link dev.xsched.hip.sim.KernelRecorder}).
 */
package dev.xsched.hip.sim;
