package dev.xsched.hip;

import java.util.List;

/**
 * A kernel (a {@code __global__} function) of a loaded {@link HipModule}, with the parameter
 * signature the caller declared for it. Launch it through {@link CommandQueue#launch}.
 */
public interface Kernel {
    /** The kernel's symbol name in the code object. */
    String name();

    /** The declared parameter types, in order. */
    List<ParamType> signature();

    /** Whether the module it belongs to is still loaded. */
    boolean isLoaded();

    /**
     * Checks {@code args} against the signature: the count and each type must match. Called by
     * every launch before the native call.
     *
     * @throws IllegalArgumentException naming the first mismatch
     */
    default void checkArgs(KernelArgs args) {
        List<ParamType> signature = signature();
        if (args.count() != signature.size()) {
            throw new IllegalArgumentException("kernel " + name() + " takes " + signature.size() + " arguments "
                    + signature + ", got " + args.count() + " " + args.types());
        }
        for (int i = 0; i < args.count(); i++) {
            if (args.type(i) != signature.get(i)) {
                throw new IllegalArgumentException("kernel " + name() + " argument " + i + " is " + signature.get(i)
                        + " (" + signature.get(i).byteSize() + " bytes), got " + args.type(i)
                        + " (" + args.type(i).byteSize() + " bytes)");
            }
        }
    }
}
