/**
 * hip-ffm: HIP for Java through the Foreign Function and Memory API. The public API is
 * {@code dev.xsched.hip}; platforms plug in through {@code dev.xsched.hip.spi}. This module makes
 * every restricted FFM call of the project: run with {@code --enable-native-access=dev.xsched.hip}.
 */
module dev.xsched.hip {
    exports dev.xsched.hip;
    exports dev.xsched.hip.spi;
    exports dev.xsched.hip.blas;
    exports dev.xsched.hip.sim;

    uses dev.xsched.hip.spi.PlatformProvider;

    provides dev.xsched.hip.spi.PlatformProvider with
            dev.xsched.hip.internal.amd.AmdPlatformProvider,
            dev.xsched.hip.internal.sim.SimPlatformProvider,
            dev.xsched.hip.internal.nvidia.NvidiaPlatformProvider;
}
