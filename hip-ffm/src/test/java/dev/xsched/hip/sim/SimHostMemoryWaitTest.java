package dev.xsched.hip.sim;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.xsched.hip.sim.SimKit.launch;
import static dev.xsched.hip.sim.SimKit.ms;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code Stream.waitUntilAtLeast} on the simulator: a stream held by a word of registered host
 * memory until a plain store, by another thread or another process, brings the word to the value,
 * in wrap-around order. The engine never sees such a store as an event: in virtual time it looks
 * whenever the clock moves (or a blocking call would give up), in real time its thread polls.
 */
@HangGuard(seconds = 120) // the real-time tests wait on a simulated GPU's engine thread
class SimHostMemoryWaitTest {
    private static final Duration MS = Duration.ofMillis(1);
    private static final VarHandle INT = JAVA_INT.varHandle();
    /** How long the real-time tests let a held stream sit: many engine polls, no timing assertion. */
    private static final long HELD_MILLIS = 30;

    private final KernelRecorder recorder = new KernelRecorder();
    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(8).devices(2).listener(recorder).build();
    private final Device gpu = sim.device(0);
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void close() {
        sim.close();
        arena.close();
    }

    /** A plain volatile store on a thread of its own: nothing the simulation hears of. */
    private static void storeFromAnotherThread(MemorySegment words, long offset, int value) throws InterruptedException {
        Thread.ofPlatform().start(() -> INT.setVolatile(words, offset, value)).join();
    }

    @Test
    void aWaitHoldsTheKernelAndCopyBehindItUntilAnotherThreadStoresTheValueOrMore() throws Exception {
        MemorySegment words = arena.allocate(16, 16);
        MemorySegment payload = arena.allocate(8);
        payload.fill((byte) 7);
        Stream stream = gpu.createStream();
        try (RegisteredHostMemory registered = gpu.registerHostMemory(words); DeviceBuffer target = gpu.allocate(8)) {
            assertThat(gpu.supportsHostRegistration()).isTrue();
            stream.memset(target, 0);
            stream.waitUntilAtLeast(registered, 4, 3);
            launch(stream, SimKit.work(gpu), 1, MS, 1);
            stream.copy(target, payload);

            storeFromAnotherThread(words, 4, 2);
            sim.virtualClock().advanceBy(ms(5));
            assertThat(recorder.kernels()).as("a smaller value releases nothing").isEmpty();
            assertThat(stream.isIdle()).isFalse();
            assertThat(sim.memory().segment(target).get(JAVA_BYTE, 0)).as("nor does the copy run").isZero();

            long storedAt = sim.clock().nanoTime();
            storeFromAnotherThread(words, 4, 5); // past the value: "at least" releases it too
            sim.virtualClock().advanceBy(ms(5));
            assertThat(recorder.only("work").startNanos())
                    .as("seen when the clock next moved, at the time the store was made (the clock stood still)")
                    .isEqualTo(storedAt);
            stream.synchronize();
            assertThat(sim.memory().segment(target).get(JAVA_BYTE, 7)).isEqualTo((byte) 7);
        }
    }

    @Test
    void theWordCountsInWrapAroundOrder() throws Exception {
        MemorySegment words = arena.allocate(8, 8);
        Kernel work = SimKit.work(gpu);
        Stream stream = gpu.createStream();
        try (RegisteredHostMemory registered = gpu.registerHostMemory(words)) {
            int target = Integer.MAX_VALUE - 1;
            words.set(JAVA_INT, 0, Integer.MAX_VALUE - 10);
            stream.waitUntilAtLeast(registered, 0, target);
            launch(stream, work, 1, MS, 1);
            storeFromAnotherThread(words, 0, Integer.MAX_VALUE - 2);
            sim.virtualClock().advanceBy(ms(1));
            assertThat(recorder.kernels()).isEmpty();

            storeFromAnotherThread(words, 0, Integer.MIN_VALUE + 5); // the counter wrapped: 7 past the target
            stream.synchronize();
            assertThat(recorder.kernels()).hasSize(1);

            // Half the range ahead is behind in wrap-around order, as cuStreamWaitValue32's GEQ has it.
            words.set(JAVA_INT, 4, 10);
            stream.waitUntilAtLeast(registered, 4, 10 - Integer.MIN_VALUE);
            launch(stream, work, 1, MS, 2);
            sim.virtualClock().advanceBy(ms(1));
            assertThat(recorder.kernels()).hasSize(1);
            storeFromAnotherThread(words, 4, 11 - Integer.MIN_VALUE);
            stream.synchronize();
            assertThat(recorder.kernels()).hasSize(2);
        }
    }

    @Test
    void inVirtualTimeABlockingCallLooksAtTheWordBeforeItGivesUp() throws Exception {
        MemorySegment words = arena.allocate(4, 4);
        Stream stream = gpu.createStream();
        Kernel work = SimKit.work(gpu); // loaded first: a module load waits for the wait below (SimDeviceWideCallTest)
        try (RegisteredHostMemory registered = gpu.registerHostMemory(words)) {
            stream.waitUntilAtLeast(registered, 0, 7);
            launch(stream, work, 1, MS, 1);
            assertThatThrownBy(stream::synchronize).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("would wait forever")
                    .hasMessageContaining("waits for the host word at 0x" + Long.toHexString(registered.deviceAddress()))
                    .hasMessageContaining("to reach 7")
                    .hasMessageContaining("only a store to the registered memory");

            long storedAt = sim.clock().nanoTime();
            storeFromAnotherThread(words, 0, 7);
            stream.synchronize(); // no clock step in between: the synchronize itself looks
            assertThat(recorder.only("work").startNanos()).isEqualTo(storedAt);
        }
    }

    @Test
    void inRealTimeTheEngineThreadSeesAStoreOfAnotherThread() throws Exception {
        KernelRecorder records = new KernelRecorder();
        try (SimulatedPlatform real = SimulatedPlatform.builder().realTime().computeUnits(1).listener(records).build()) {
            Device device = real.device(0);
            MemorySegment words = arena.allocate(8, 8);
            Stream stream = device.createStream();
            Event done = device.createEvent();
            Kernel work = SimKit.work(device); // loaded first: a module load waits for the wait below
            try (RegisteredHostMemory registered = device.registerHostMemory(words)) {
                stream.waitUntilAtLeast(registered, 4, 2);
                launch(stream, work, 1, MS, 1);
                stream.record(done);

                storeFromAnotherThread(words, 4, 1);
                Thread.sleep(HELD_MILLIS);
                assertThat(done.isComplete()).as("a smaller value holds the stream").isFalse();
                assertThat(stream.isIdle()).isFalse();
                assertThat(records.kernels()).isEmpty();

                long before = real.clock().nanoTime();
                storeFromAnotherThread(words, 4, 2);
                awaitKernels(records, 1); // no call on the platform in between: the engine thread's poll releases it
                assertThat(records.only("work").startNanos()).isGreaterThanOrEqualTo(before);
                done.synchronize();
                stream.close();
            }
        }
    }

    /**
     * The case the wait is for: a process that shares a file mapping stores the word, with no call
     * into this one. Here {@code dd} writes the file, which the mapping shares through the page cache.
     */
    @Test
    void inRealTimeAStoreByAnotherProcessToASharedFileMappingReleasesTheWait() throws Exception {
        Path folder = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(folder, "xsched-host-wait", ".bin");
        KernelRecorder records = new KernelRecorder();
        try (SimulatedPlatform real = SimulatedPlatform.builder().realTime().computeUnits(1).listener(records).build();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Device device = real.device(0);
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
            Stream stream = device.createStream();
            Kernel work = SimKit.work(device); // loaded first: a module load waits for the wait below
            try (RegisteredHostMemory registered = device.registerHostMemory(mapping)) {
                stream.waitUntilAtLeast(registered, 8, 41);
                launch(stream, work, 1, MS, 1);
                Thread.sleep(HELD_MILLIS);
                assertThat(stream.isIdle()).isFalse();

                writeWithDd(file, 8, 42);
                awaitKernels(records, 1);
                assertThat(mapping.get(JAVA_INT, 8)).isEqualTo(42);
                stream.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Waits, calling nothing on the platform (a call catches up and would look at the word
     * itself), until the engine thread has completed {@code count} kernels; the class's hang guard
     * bounds it.
     */
    private static void awaitKernels(KernelRecorder records, int count) throws InterruptedException {
        while (records.kernels().size() < count) {
            Thread.sleep(1);
        }
    }

    /** Writes {@code value}, in the host's byte order, at {@code offset} of {@code file} from another process. */
    private static void writeWithDd(Path file, int offset, int value) throws IOException, InterruptedException {
        Process dd;
        try {
            dd = new ProcessBuilder("dd", "of=" + file, "bs=4", "seek=" + offset / 4, "count=1", "conv=notrunc")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no dd to store from another process: " + e.getMessage());
            throw e;
        }
        try (OutputStream in = dd.getOutputStream()) {
            in.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
        }
        assertThat(dd.waitFor(30, TimeUnit.SECONDS)).as("dd ended").isTrue();
        assertThat(dd.exitValue()).as(() -> "dd's exit status; it said: " + output(dd)).isZero();
    }

    private static String output(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes());
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void theRegistrationMapsTheCallersOwnBytesUntilItIsClosedAndCloseIsIdempotent() {
        MemorySegment words = arena.allocate(16, 16);
        RegisteredHostMemory registered = gpu.registerHostMemory(words);
        assertThat(registered.device()).isSameAs(gpu);
        assertThat(registered.segment()).isSameAs(words);
        assertThat(registered.byteSize()).isEqualTo(16);
        assertThat(registered.isOpen()).isTrue();

        // The device address resolves to the caller's bytes, both ways.
        words.set(JAVA_INT, 8, 0x5eed);
        assertThat(sim.memory().segment(registered.deviceAddress() + 8, 4).get(JAVA_INT, 0)).isEqualTo(0x5eed);
        sim.memory().segment(registered.deviceAddress(), 4).set(JAVA_INT, 0, 99);
        assertThat(words.get(JAVA_INT, 0)).isEqualTo(99);
        long address = registered.deviceAddress();

        registered.close();
        registered.close();
        assertThat(registered.isOpen()).isFalse();
        assertThat(registered.byteSize()).isEqualTo(16);
        assertThatThrownBy(registered::segment).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(registered::deviceAddress).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.memory().segment(address, 4)).isInstanceOfSatisfying(HipException.class,
                e -> assertThat(e.is(HipError.ILLEGAL_ADDRESS)).isTrue());
        assertThat(words.get(JAVA_INT, 8)).as("the memory stays the caller's").isEqualTo(0x5eed);

        try (RegisteredHostMemory again = gpu.registerHostMemory(words)) {
            assertThat(again.deviceAddress()).as("device addresses are never reused").isNotEqualTo(address);
        }
    }

    @Test
    void memoryAlreadyMappedIsRefusedAsTheDriversRefuseIt() {
        MemorySegment words = arena.allocate(64, 16);
        try (RegisteredHostMemory registered = gpu.registerHostMemory(words.asSlice(0, 32));
             PinnedBuffer pinned = gpu.allocatePinned(16)) {
            assertThatThrownBy(() -> sim.device(1).registerHostMemory(words.asSlice(16, 32)))
                    .isInstanceOfSatisfying(HipException.class, e -> {
                        assertThat(e.is(HipError.HOST_MEMORY_ALREADY_REGISTERED)).isTrue();
                        assertThat(e.call()).startsWith("hipHostRegister(0x" + Long.toHexString(words.address() + 16))
                                .contains("already mapped");
                    });
            assertThatThrownBy(() -> gpu.registerHostMemory(pinned.segment())).isInstanceOfSatisfying(HipException.class,
                    e -> assertThat(e.is(HipError.HOST_MEMORY_ALREADY_REGISTERED)).isTrue());
            try (RegisteredHostMemory beside = gpu.registerHostMemory(words.asSlice(32, 32))) {
                assertThat(beside.isOpen()).as("adjacent memory does not overlap").isTrue();
            }
        }
    }

    @Test
    void segmentsThatCannotBeRegisteredAreRefusedBeforeAnythingIsMapped() throws Exception {
        MemorySegment words = arena.allocate(16, 16);
        assertThatThrownBy(() -> gpu.registerHostMemory(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> gpu.registerHostMemory(MemorySegment.ofArray(new int[4])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap segment");
        assertThatThrownBy(() -> gpu.registerHostMemory(words.asSlice(0, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4 bytes, got 2");
        assertThatThrownBy(() -> gpu.registerHostMemory(words.asSlice(2, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4-byte aligned");
        Arena closed = Arena.ofShared();
        MemorySegment dead = closed.allocate(16, 16);
        closed.close();
        assertThatThrownBy(() -> gpu.registerHostMemory(dead))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer alive");

        // Confined to a thread that is not the one the simulation reads it on (its arena, which
        // only that ended thread could close, lives on: 16 bytes for the test JVM's life).
        MemorySegment[] confined = new MemorySegment[1];
        Thread.ofPlatform().start(() -> confined[0] = Arena.ofConfined().allocate(16, 16)).join();
        assertThatThrownBy(() -> gpu.registerHostMemory(confined[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confined to another thread");

        sim.close();
        assertThatThrownBy(() -> gpu.registerHostMemory(words)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void waitsOnWordsOutsideTheRegistrationOrOnClosedOrForeignRegistrationsAreRefused() {
        MemorySegment words = arena.allocate(16, 16);
        MemorySegment elsewhere = arena.allocate(16, 16);
        Stream stream = gpu.createStream();
        try (RegisteredHostMemory registered = gpu.registerHostMemory(words);
             RegisteredHostMemory ofDevice1 = sim.device(1).registerHostMemory(elsewhere)) {
            assertThatThrownBy(() -> stream.waitUntilAtLeast(null, 0, 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, -4, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset -4 is outside");
            assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 16, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offsets 0..12 of its 16 bytes");
            assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 13, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside");
            assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4-byte aligned, got 2");
            assertThatThrownBy(() -> stream.waitUntilAtLeast(ofDevice1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("registered for simulated device 1");
            assertThatThrownBy(() -> stream.waitUntilAtLeast(new ForeignRegistration(gpu, words), 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered by hip-ffm");
            stream.waitUntilAtLeast(registered, 12, 0); // the last word; 0 holds already
            stream.synchronize();
        }
        try (RegisteredHostMemory closing = gpu.registerHostMemory(words)) {
            closing.close();
            assertThatThrownBy(() -> stream.waitUntilAtLeast(closing, 0, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        try (RegisteredHostMemory registered = gpu.registerHostMemory(words)) {
            stream.close();
            assertThatThrownBy(() -> stream.waitUntilAtLeast(registered, 0, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stream is closed");
        }
    }

    /**
     * Against the contract, the registration is closed while a wait on it holds its stream. The
     * unregistration waits for everything on the device, the pending wait included, which only a
     * store could end: in virtual time the close says so instead of hanging, and still unmaps the
     * memory; then, as a GPU faults on memory unmapped under it, the device fails (sticky) and the
     * wait ends, so nothing waits forever.
     */
    @Test
    void closingTheRegistrationUnderAPendingWaitFailsTheDeviceInsteadOfHanging() {
        MemorySegment words = arena.allocate(4, 4);
        Stream stream = gpu.createStream();
        RegisteredHostMemory registered = gpu.registerHostMemory(words);
        stream.waitUntilAtLeast(registered, 0, 1);
        assertThatThrownBy(registered::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hipHostUnregister on device 0").hasMessageContaining("would wait forever");
        assertThat(registered.isOpen()).isFalse();
        assertThatThrownBy(stream::synchronize).isInstanceOfSatisfying(HipException.class, e -> {
            assertThat(e.is(HipError.ILLEGAL_ADDRESS)).isTrue();
            assertThat(e.getMessage()).contains("memory wait");
        });
    }

    /** Another implementation of the interface, which could name any address: never waited on. */
    private record ForeignRegistration(Device device, MemorySegment segment) implements RegisteredHostMemory {
        @Override
        public long byteSize() {
            return segment.byteSize();
        }

        @Override
        public long deviceAddress() {
            return segment.address();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
