package dev.xsched.hip;

import java.util.List;

/**
 * A kernel (a {@code __global__} function) of a loaded {@link HipModule}, with the parameter
 * signature the caller declared for it. Launch it through {@link CommandQueue#launch}. An
 * immutable handle ({@code hipFunction_t}, {@code CUfunction}) that may be launched from any
 * thread; it is valid while its module is loaded, and nothing is freed when it is dropped.
 */
public interface Kernel {
    /**
     * The kernel's symbol name in the code object.
     *
     * @return the name given to {@link HipModule#function}, for example {@code vector_add}
     */
    String name();

    /**
     * The declared parameter types, in order. On NVIDIA the lookup checked their number and sizes
     * against the compiled kernel; no driver can check their meaning (a {@code float} declared
     * where the kernel takes an {@code int} passes wrong bits), and on AMD nothing checks them.
     *
     * @return an immutable list, as given to {@link HipModule#function}
     */
    List<ParamType> signature();

    /**
     * Whether the module it belongs to is still loaded.
     *
     * @return false once the module was closed; launches then throw {@link IllegalStateException}
     */
    boolean isLoaded();

    /**
     * Checks {@code args} against the signature: the count and each type must match. Called by
     * every launch before the native call.
     *
     * @param args the arguments of a launch
     * @throws IllegalArgumentException naming the first mismatch
     */
    default void checkArgs(KernelArgs args) {
        List<ParamType> signature = signature();
        if (args.count() != signature.size()) {
            throw new IllegalArgumentException("kernel " + name() + " takes " + signature.size() + " arguments "
                    + signature + ", got " + args.count() + " " + args.types());
        }
        checkArgTypes(name(), signature, args, args.count());
    }

    /**
     * Throws if one of the first {@code count} arguments' types differs from its parameter's.
     * Allocates nothing unless it throws: every launch checks its arguments.
     */
    private static void checkArgTypes(String kernel, List<ParamType> signature, KernelArgs args, int count) {
        for (int i = 0; i < count; i++) {
            if (args.type(i) != signature.get(i)) {
                throw new IllegalArgumentException("kernel " + kernel + " argument " + i + " is " + signature.get(i)
                        + " (" + signature.get(i).byteSize() + " bytes), got " + args.type(i)
                        + " (" + args.type(i).byteSize() + " bytes)");
            }
        }
    }

    /**
     * Checks {@code args} against the first {@code args.count()} parameters of the signature, for
     * launches that append parameters of their own (the control pointers of a
     * {@linkplain YieldableKernels yieldable launch}): each type must match.
     *
     * @param args the leading arguments of a launch
     * @throws IllegalArgumentException if there are more arguments than parameters, or naming the
     *                                  first mismatch
     */
    default void checkLeadingArgs(KernelArgs args) {
        List<ParamType> signature = signature();
        if (args.count() > signature.size()) {
            throw new IllegalArgumentException("kernel " + name() + " takes " + signature.size() + " arguments "
                    + signature + ", got " + args.count() + " leading ones " + args.types());
        }
        checkArgTypes(name(), signature, args, args.count());
    }
}
