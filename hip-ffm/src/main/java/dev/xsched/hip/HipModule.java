package dev.xsched.hip;

/**
 * A loaded code object (an AMD gfx code object, or a cubin/PTX image on NVIDIA), made by
 * {@link Device#loadModule(CodeObject)} and owned by the caller. Closing it unloads the module
 * ({@code hipModuleUnload}, {@code cuModuleUnload}); its kernels can no longer be launched, and
 * launches already submitted must have completed first.
 */
public interface HipModule extends AutoCloseable {
    /**
     * Looks up a kernel ({@code hipModuleGetFunction}, {@code cuModuleGetFunction}) and declares its
     * parameter types. Look a kernel up once and keep the handle: the lookup is a native call, the
     * launch path is not meant to repeat it.
     *
     * @param name      the kernel's symbol ({@code extern "C"} kernels keep their source name; C++
     *                  kernels have a mangled one)
     * @param signature its parameters, in order; every launch checks its arguments against them.
     *                  On NVIDIA the lookup checks their number and sizes against the code
     *                  ({@code cuFuncGetParamInfo}); the HIP runtime bound here has no such query,
     *                  so on AMD a wrong declaration makes the driver read past the arguments
     * @return the kernel, valid while this module is loaded
     * @throws HipException             if the code object has no such kernel ({@link HipError#NOT_FOUND})
     * @throws IllegalArgumentException on NVIDIA, if the kernel was compiled with other parameters
     *                                  (a different number, or a size unlike the declared type's)
     * @throws IllegalStateException    if the module is closed
     */
    Kernel function(String name, ParamType... signature);

    /**
     * Unloads the module; only the first call does anything, a device-wide call
     * ({@link Device#onDeviceWideCalls}).
     *
     * @throws HipException if the driver call fails
     */
    @Override
    void close();
}
