package dev.xsched.hip.internal;

import dev.xsched.hip.Device;
import dev.xsched.hip.RegisteredHostMemory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Argument checks for host memory registered with a device and for the stream waits on it, shared
 * by every platform that supports them: they run before any native call, so a heap segment, a
 * dead scope or a word outside the registration is an exception with a message, never a driver
 * error about a bad pointer or a device reading the wrong memory.
 */
public final class HostMemoryChecks {
    private HostMemoryChecks() {
    }

    /**
     * Everything {@code memory} needs to be registered: native (the driver page-locks the pages
     * behind an address; a heap array has no stable one), alive, and holding at least one aligned
     * 32-bit word, the unit the drivers' stream waits read.
     */
    public static void registration(MemorySegment memory) {
        Objects.requireNonNull(memory, "memory");
        if (!memory.isNative()) {
            throw new IllegalArgumentException("host memory to register is a heap segment; only native memory (a file "
                    + "mapping, Arena.allocate) can be page-locked and mapped for a device");
        }
        if (!memory.scope().isAlive()) {
            throw new IllegalStateException("host memory segment to register is no longer alive");
        }
        if (memory.byteSize() < Integer.BYTES) {
            throw new IllegalArgumentException("host memory to register must hold a 32-bit word: at least 4 bytes, got "
                    + memory.byteSize());
        }
        if (memory.address() % Integer.BYTES != 0) {
            throw new IllegalArgumentException("host memory to register must be 4-byte aligned (streams wait on aligned "
                    + "32-bit words), got address 0x" + Long.toHexString(memory.address()));
        }
    }

    /**
     * Everything a stream of {@code device} needs to wait on the word at {@code offset} of
     * {@code memory}: a registration this library made, still open, for that device, and an
     * aligned word inside it. Returns the registration as the library's type.
     */
    public static AbstractRegisteredHostMemory wordWait(RegisteredHostMemory memory, long offset, Device device) {
        Objects.requireNonNull(memory, "memory");
        // Another implementation of the interface could name any address as its device address.
        if (!(memory instanceof AbstractRegisteredHostMemory registered)) {
            throw new IllegalArgumentException("memory " + memory + " was not registered by hip-ffm "
                    + "(use Device.registerHostMemory)");
        }
        if (!registered.isOpen()) {
            throw new IllegalStateException("registered host memory is closed: " + memory);
        }
        if (registered.device() != device) {
            throw new IllegalArgumentException("memory was registered for " + registered.device()
                    + ", not for the stream's " + device);
        }
        long byteSize = registered.byteSize();
        if (offset < 0 || offset > byteSize - Integer.BYTES) {
            throw new IllegalArgumentException("word offset " + offset + " is outside the registered memory: a 32-bit "
                    + "word fits at offsets 0.." + (byteSize - Integer.BYTES) + " of its " + byteSize + " bytes");
        }
        if (offset % Integer.BYTES != 0) {
            throw new IllegalArgumentException("word offset must be 4-byte aligned, got " + offset);
        }
        return registered;
    }
}
