package dev.xsched.hip.internal;

import java.lang.foreign.MemorySegment;

/** C strings returned by native calls. */
public final class NativeStrings {
    private NativeStrings() {
    }

    /** Reads a NUL-terminated string the library owns (static storage); {@code fallback} for NULL. */
    public static String read(MemorySegment cString, String fallback) {
        if (cString == null || cString.equals(MemorySegment.NULL)) {
            return fallback;
        }
        return cString.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
