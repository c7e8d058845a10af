package dev.xsched.hip.gpu;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A stream waiting on a word of registered host memory ({@code Stream.waitUntilAtLeast},
 * {@code cuStreamWaitValue32} with GEQ): the kernel and the copy queued behind the wait run only
 * once the host stores a value that reaches the target, in wrap-around order; a smaller value
 * leaves them waiting. The word lies in a shared file mapping (in {@code /dev/shm}, as processes
 * share one) or in memory of an arena. Not run against the fake CUDA driver, which runs every
 * command at once and cannot hold a stream (see hip-ffm's pom).
 */
@Tag("gpu")
class GpuHostWaitTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /**
     * How long the stream must stay held: far longer than a GPU takes to see a store (microseconds),
     * so a wait that did not hold would have let the kernel run by then.
     */
    private static final long HELD_MILLIS = 100;
    private static final VarHandle INT = JAVA_INT.varHandle();
    /** Where the word lies in the registered memory: not at its start, so the offset counts. */
    private static final long WORD = 64;
    private static HipModule module;
    private static Kernel writeInt;
    private Device gpu;

    /** Per test, not per class: each test then reports the skip (and its reason) where no GPU exists. */
    @BeforeEach
    void gpu() {
        gpu = GpuSupport.device();
        assumeTrue(gpu.supportsHostRegistration(), () -> "platform '" + gpu.platform().name()
                + "' cannot register host memory for its devices (supportsHostRegistration() is false)");
        if (module == null) {
            HipModule loaded = gpu.loadModule(gpu.compiler().compile("write_int.cu", GpuKernels.WRITE_INT));
            try {
                writeInt = loaded.function("write_int", ParamType.POINTER, ParamType.INT);
                module = loaded;
            } catch (RuntimeException e) {
                loaded.close();
                throw e;
            }
        }
    }

    @AfterAll
    static void unload() {
        if (module != null) {
            module.close();
        }
    }

    @Test
    void aStoreToARegisteredSharedFileMappingReleasesTheWorkQueuedBehindTheWait() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path folder = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(folder, "xsched-gpu-host-wait", ".bin");
        try (Arena arena = Arena.ofShared();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            heldUntilTheHostStores(channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aStoreToRegisteredArenaMemoryReleasesTheWorkQueuedBehindTheWait() {
        try (Arena arena = Arena.ofShared()) {
            heldUntilTheHostStores(arena.allocate(4096, 4096));
        }
    }

    /**
     * Queues a wait for the word at {@link #WORD} of {@code memory} to reach {@code MAX_VALUE}, then
     * a kernel that writes pinned memory and a copy into it; checks both stay undone while the word
     * is below, and done once a store takes the word past the target (wrapping to negative).
     */
    private void heldUntilTheHostStores(MemorySegment memory) {
        assertTimeoutPreemptively(LIMIT, () -> {
            int target = Integer.MAX_VALUE;
            INT.setVolatile(memory, WORD, target - 2);
            try (RegisteredHostMemory registered = gpu.registerHostMemory(memory);
                 PinnedBuffer out = gpu.allocatePinned(64);
                 DeviceBuffer source = gpu.allocate(4);
                 Stream stream = gpu.createStream()) {
                out.segment().fill((byte) 0);
                stream.memset(source, 0x11);
                stream.synchronize();

                stream.waitUntilAtLeast(registered, WORD, target);
                stream.launch(writeInt, LaunchConfig.of(1, 32), KernelArgs.builder().pointer(out, 0).i32(0x5eed).build());
                stream.copy(out.segment().asSlice(8, 4), source);
                boolean released = false;
                try {
                    Thread.sleep(HELD_MILLIS);
                    assertHeld(stream, out, "with the word 2 below the target");
                    INT.setVolatile(memory, WORD, target - 1);
                    Thread.sleep(HELD_MILLIS);
                    assertHeld(stream, out, "with the word 1 below the target");

                    INT.setVolatile(memory, WORD, Integer.MIN_VALUE + 1); // wrapped: 2 past the target
                    released = true;
                    stream.synchronize();
                    assertThat((int) INT.getVolatile(out.segment(), 0L)).as("the kernel ran").isEqualTo(0x5eed);
                    assertThat((int) INT.getVolatile(out.segment(), 8L)).as("the copy ran").isEqualTo(0x11111111);
                } finally {
                    if (!released) {
                        // A failed check leaves the wait holding the stream: release it, or the
                        // stream's close (which waits for its work) and the unregistration would wait forever.
                        INT.setVolatile(memory, WORD, target);
                    }
                }
            }
        });
    }

    private static void assertHeld(Stream stream, PinnedBuffer out, String when) {
        assertThat((int) INT.getVolatile(out.segment(), 0L)).as("the kernel behind the wait has not run " + when).isZero();
        assertThat((int) INT.getVolatile(out.segment(), 8L)).as("the copy behind the wait has not run " + when).isZero();
        assertThat(stream.isIdle()).as("the stream is busy " + when).isFalse();
    }
}
