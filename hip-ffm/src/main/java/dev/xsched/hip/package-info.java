/**
 * The hip-ffm API: HIP and CUDA GPUs from Java through the Foreign Function and Memory API, with
 * no JNI and no native code of its own.
 *
 * <p>{@link dev.xsched.hip.Hip} finds the installed platforms ({@code amd} over the HIP runtime,
 * {@code nvidia} over the CUDA driver API and NVRTC, {@code sim} the simulated GPU), says why
 * each can or cannot be used, and opens one as a {@link dev.xsched.hip.HipPlatform}. A
 * {@link dev.xsched.hip.Device} creates {@link dev.xsched.hip.Stream}s with hardware priorities,
 * {@link dev.xsched.hip.Event}s, device and pinned memory, compiles kernel source at run time
 * ({@link dev.xsched.hip.KernelCompiler}) and loads code into {@link dev.xsched.hip.HipModule}s
 * whose {@link dev.xsched.hip.Kernel}s are launched with a {@link dev.xsched.hip.LaunchConfig}
 * and {@link dev.xsched.hip.KernelArgs}. Everything a stream can do is the interface
 * {@link dev.xsched.hip.CommandQueue}, which xsched-core's {@code XQueue} implements too, so code
 * written against it is scheduled by handing it a queue instead of a stream.
 *
 * <p>Kernels that can be preempted finer than a whole launch follow two conventions:
 * {@link dev.xsched.hip.SlicedKernels} (a grid launched as slices of blocks) and
 * {@link dev.xsched.hip.YieldableKernels} (running blocks stop at their next check of a flag in
 * mapped host memory, and continue when launched again).
 *
 * <p>Every native call checks its return code; a failure is a {@link dev.xsched.hip.HipException}
 * with the HIP error code, its name, the runtime's message and the call. Wrong input is an
 * {@link java.lang.IllegalArgumentException} or {@link java.lang.IllegalStateException} before any
 * native call. Handles may be used from any thread. Programs run with
 * {@code --enable-native-access=dev.xsched.hip} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
package dev.xsched.hip;
