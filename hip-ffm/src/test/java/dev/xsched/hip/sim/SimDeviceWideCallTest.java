package dev.xsched.hip.sim;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.Stream;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static dev.xsched.hip.sim.SimKit.launch;
import static dev.xsched.hip.sim.SimKit.ms;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The device-wide calls on the simulator: each of them but a synchronization waits until no
 * stream of its device is held by a wait on registered host memory, as CUDA's wait for the whole
 * context waits for such a wait (a {@code cuMemFree} and a {@code cuModuleLoadData} hung so on an
 * H100), and the device's {@link DeviceWideCallListener}s run around exactly these calls, so that
 * a listener can let such a wait go first.
 */
@HangGuard(seconds = 120) // the real-time tests wait on a simulated GPU's engine thread
class SimDeviceWideCallTest {
    private static final VarHandle INT = JAVA_INT.varHandle();
    /** How long the real-time tests let a call sit behind a held stream: no timing assertion. */
    private static final long HELD_MILLIS = 30;

    private final Arena arena = Arena.ofShared();
    private final ExecutorService caller = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());

    @AfterEach
    void close() {
        caller.shutdownNow();
        arena.close();
    }

    /** A device-wide call other than a synchronization, made ready before a stream is held. */
    enum Call {
        FREE("hipFree") {
            @Override
            Runnable prepare(Device device, Arena arena) {
                return device.allocate(256)::close;
            }
        },
        MODULE_LOAD("hipModuleLoadData") {
            @Override
            Runnable prepare(Device device, Arena arena) {
                CodeObject code = device.compiler().compile("kit.hip", SimKit.SOURCE);
                return () -> device.loadModule(code).close();
            }
        },
        MODULE_UNLOAD("hipModuleUnload") {
            @Override
            Runnable prepare(Device device, Arena arena) {
                return SimKit.module(device)::close;
            }
        },
        PINNED_FREE("hipHostFree") {
            @Override
            Runnable prepare(Device device, Arena arena) {
                return device.allocatePinned(64)::close;
            }
        },
        REGISTER("hipHostRegister") {
            @Override
            Runnable prepare(Device device, Arena arena) {
                MemorySegment other = arena.allocate(16, 16);
                return () -> device.registerHostMemory(other).close();
            }
        },
        UNREGISTER("hipHostUnregister") {
            @Override
            Runnable prepare(Device device, Arena arena) {
                return device.registerHostMemory(arena.allocate(16, 16))::close;
            }
        };

        /** The call's name in the message of a wait that can never end. */
        final String driverCall;

        Call(String driverCall) {
            this.driverCall = driverCall;
        }

        /** Makes what the call needs; the result makes the call (and closes what it made, after). */
        abstract Runnable prepare(Device device, Arena arena);
    }

    /** A word registered for {@code device}, and a stream of it held until the word reaches 1. */
    private record Held(MemorySegment word, RegisteredHostMemory registered, Stream stream) {
        static Held on(Device device, Arena arena) {
            MemorySegment word = arena.allocate(4, 4);
            RegisteredHostMemory registered = device.registerHostMemory(word);
            Stream stream = device.createStream();
            stream.waitUntilAtLeast(registered, 0, 1);
            return new Held(word, registered, stream);
        }

        void store() {
            INT.setVolatile(word, 0L, 1);
        }

        /** Lets the wait go and ends it all. */
        void release() {
            store();
            stream.synchronize();
            stream.close();
            registered.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void inRealTimeEachCallWaitsWhileAHostWaitHoldsAStreamOfItsDeviceAndReturnsAfterTheStore(Call kind) throws Exception {
        try (SimulatedPlatform real = SimulatedPlatform.builder().realTime().computeUnits(1).build()) {
            Device device = real.device(0);
            Runnable call = kind.prepare(device, arena);
            Held held = Held.on(device, arena);
            CompletableFuture<Void> done = CompletableFuture.runAsync(call, caller);
            Thread.sleep(HELD_MILLIS);
            assertThat(done).as(kind + " waits for the stream the host word holds").isNotDone();

            held.store(); // no call into the platform: the engine thread's poll releases the wait
            done.get(); // the class's hang guard bounds it
            held.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Call.class)
    void inVirtualTimeACallThatOnlyAStoreCouldReleaseSaysItWouldWaitForever(Call kind) {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
            Device device = sim.device(0);
            Runnable call = kind.prepare(device, arena);
            Held held = Held.on(device, arena);
            assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(kind.driverCall + " on device 0")
                    .hasMessageContaining("would wait forever")
                    .hasMessageContaining("waits for the host word at 0x" + Long.toHexString(held.registered().deviceAddress()));
            held.release();
        }
    }

    @Test
    void inVirtualTimeAStoreBeforeTheCallLetsItReturnWithoutWaitingForTheDevicesOtherWork() {
        KernelRecorder recorder = new KernelRecorder();
        try (SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(1).listener(recorder).build()) {
            Device device = sim.device(0);
            Kernel work = SimKit.work(device);
            Stream busy = device.createStream();
            launch(busy, work, 1, Duration.ofMillis(5), 1);
            DeviceBuffer buffer = device.allocate(256);
            Held held = Held.on(device, arena);
            sim.virtualClock().advanceBy(ms(1));

            long before = sim.clock().nanoTime();
            held.store(); // seen by the free itself: the clock stood still since
            buffer.close();
            assertThat(sim.clock().nanoTime()).as("the free moved no clock").isEqualTo(before);
            assertThat(busy.isIdle()).as("nor waited for the running kernel: only host waits are modelled").isFalse();
            busy.synchronize();
            assertThat(recorder.only("work").endNanos()).isGreaterThanOrEqualTo(ms(5));
            held.release();
        }
    }

    @Test
    void onlyTheCallsOwnDeviceHoldsIt() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().devices(2).build()) {
            Held onDevice1 = Held.on(sim.device(1), arena);
            Device device0 = sim.device(0);
            device0.allocate(256).close();
            device0.allocatePinned(64).close();
            SimKit.module(device0).close();
            assertThatThrownBy(() -> sim.device(1).allocate(256).close()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("hipFree on device 1");
            onDevice1.release();
        }
    }

    @Test
    void listenersRunAroundExactlyTheDeviceWideCalls() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (SimulatedPlatform sim = SimulatedPlatform.builder().devices(2).build()) {
            Device device = sim.device(0);
            DeviceWideCallListener.Registration registration = device.onDeviceWideCalls(logging("a", log));
            DeviceWideCallListener.Registration second = device.onDeviceWideCalls(logging("b", log));

            CodeObject code = device.compiler().compile("kit.hip", SimKit.SOURCE);
            DeviceBuffer buffer = device.allocate(256);
            PinnedBuffer pinned = device.allocatePinned(64);
            Stream stream = device.createStream();
            stream.memset(buffer.slice(0, 64), 0);
            stream.synchronize();
            device.createEvent().close();
            sim.device(1).allocate(256).close(); // another device's listeners
            assertThat(log).as("no device-wide call yet").isEmpty();

            assertAround(log, "loadModule", () -> device.loadModule(code).close(), 2);
            assertAround(log, "free", buffer::close, 1);
            assertAround(log, "repeated free", buffer::close, 0);
            assertAround(log, "pinned free", pinned::close, 1);
            assertAround(log, "repeated pinned free", pinned::close, 0);
            MemorySegment memory = arena.allocate(16, 16);
            RegisteredHostMemory[] registered = new RegisteredHostMemory[1];
            assertAround(log, "register", () -> registered[0] = device.registerHostMemory(memory), 1);
            assertAround(log, "unregister", registered[0]::close, 1);
            assertAround(log, "repeated unregister", registered[0]::close, 0);
            assertAround(log, "synchronize", device::synchronize, 1);

            log.clear();
            registration.close();
            registration.close();
            device.synchronize();
            assertThat(log).as("a closed registration is not called; the other one still is")
                    .containsExactly("b before", "b after");
            second.close();
            log.clear();
            device.synchronize();
            assertThat(log).isEmpty();
            stream.close();
        }
    }

    /** Runs {@code call}, then checks that it made {@code calls} device-wide calls, each between "a" then "b" and "b" then "a". */
    private static void assertAround(List<String> log, String what, Runnable call, int calls) {
        log.clear();
        call.run();
        List<String> once = List.of("a before", "b before", "b after", "a after");
        assertThat(log).as(what).hasSize(once.size() * calls);
        for (int i = 0; i < calls; i++) {
            assertThat(log.subList(i * once.size(), (i + 1) * once.size())).as(what).isEqualTo(once);
        }
    }

    private static DeviceWideCallListener logging(String name, List<String> log) {
        return new DeviceWideCallListener() {
            @Override
            public void beforeDeviceWideCall() {
                log.add(name + " before");
            }

            @Override
            public void afterDeviceWideCall() {
                log.add(name + " after");
            }
        };
    }

    /** What the listeners are for: one that lets the host wait go before the call lets the call through. */
    @Test
    void aListenerThatLetsTheWaitGoFirstLetsTheCallThrough() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build()) {
            Device device = sim.device(0);
            CodeObject code = device.compiler().compile("kit.hip", SimKit.SOURCE);
            DeviceBuffer buffer = device.allocate(256);
            Held held = Held.on(device, arena);
            try (DeviceWideCallListener.Registration ignored = device.onDeviceWideCalls(new DeviceWideCallListener() {
                @Override
                public void beforeDeviceWideCall() {
                    held.store();
                }

                @Override
                public void afterDeviceWideCall() {
                }
            })) {
                HipModule module = device.loadModule(code);
                assertThat(held.stream().isIdle()).isTrue();
                module.close();
                buffer.close();
                device.synchronize();
            }
            held.release();
        }
    }

    @Test
    void aListenerWhoseBeforeThrowsPreventsTheCall() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().devices(2).build()) {
            Device device = sim.device(0);
            List<String> log = new CopyOnWriteArrayList<>();
            device.onDeviceWideCalls(logging("a", log));
            device.onDeviceWideCalls(new DeviceWideCallListener() {
                @Override
                public void beforeDeviceWideCall() {
                    throw new IllegalStateException("not now");
                }

                @Override
                public void afterDeviceWideCall() {
                    log.add("thrower's after");
                }
            });
            MemorySegment memory = arena.allocate(16, 16);
            assertThatThrownBy(() -> device.registerHostMemory(memory)).hasMessage("not now");
            assertThat(log).as("the after of the before that ran, not the thrower's").containsExactly("a before", "a after");
            // Not registered: another device of the platform can register it (an overlap would be refused).
            try (RegisteredHostMemory onDevice1 = sim.device(1).registerHostMemory(memory)) {
                assertThat(onDevice1.isOpen()).isTrue();
            }
        }
    }
}
