package dev.xsched.hip;

/**
 * A loaded code object (an AMD gfx code object, or a cubin/PTX image on NVIDIA). Closing it
 * unloads the module; its kernels can no longer be launched.
 */
public interface HipModule extends AutoCloseable {
    /**
     * Looks up a kernel and declares its parameter types.
     *
     * @param name      the kernel's symbol ({@code extern "C"} kernels keep their source name)
     * @param signature its parameters, in order
     * @throws HipException if the code object has no such kernel
     */
    Kernel function(String name, ParamType... signature);

    @Override
    void close();
}
