package dev.xsched.hip;

import java.util.Arrays;
import java.util.Objects;

/**
 * The output of run-time compilation: a binary for one target, ready for
 * {@link Device#loadModule(CodeObject)}.
 *
 * @param bytes  the code object (AMD), cubin or PTX (NVIDIA)
 * @param target what it was compiled for, for example {@code gfx90a} or {@code sm_90}
 * @param log    the compiler's log (warnings), possibly empty
 */
public record CodeObject(byte[] bytes, String target, String log) {
    /**
     * Copies {@code bytes}, so that the record is immutable.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code bytes} is empty
     */
    public CodeObject {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(log, "log");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty code object");
        }
        bytes = bytes.clone();
    }

    /**
     * The binary.
     *
     * @return a fresh copy of the code object's bytes
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The binary's size, without copying it.
     *
     * @return the number of bytes
     */
    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodeObject c && Arrays.equals(bytes, c.bytes) && target.equals(c.target) && log.equals(c.log);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + target.hashCode();
    }

    @Override
    public String toString() {
        return "CodeObject[target=" + target + ", " + bytes.length + " bytes]";
    }
}
