package dev.xsched.core;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.core.coordination.StopWordRaiser;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.RegisteredHostMemory;
import dev.xsched.hip.YieldableKernels;
import dev.xsched.hip.sim.KernelCostModel;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cross-process stop ({@link XQueue#armRemoteStop}) end to end on the simulated GPU, in virtual
 * time: a store into the queue's stop word, made through a separate mapping of the file as another
 * process makes it, raises the queue's stop flag through the stream waiting on the word, with no
 * call into the queue; the queue then holds its releases until a fresh decision arrives from its
 * decision source (a scheduler server's client), not merely until a round applies the source's
 * cached answer again.
 */
@HangGuard(seconds = 30) // a raise the queue never noticed would relaunch a stopped kernel forever
class RemoteStopTest {
    private static final long MS = 1_000_000;
    private static final String SOURCE = YieldableKernels.PRELUDE + """
            extern "C" __global__ void lp_work(int n) { }
            extern "C" __global__ void lp_yield(int n, XSCHED_YIELD_PARAMS) { }
            extern "C" __global__ void hp_work(int n) { }
            """;

    /** Answers from a map the test fills (a server's last answer, as its client caches it). */
    private static final class CachedAnswers implements DecisionSource {
        final Map<Long, Boolean> answer = new HashMap<>();
        Scheduling scheduling;

        @Override
        public void attach(String schedulerName, Scheduling scheduling) {
            this.scheduling = scheduling;
        }

        @Override
        public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
            return Map.copyOf(answer);
        }

        @Override
        public String describe() {
            return "cached";
        }

        @Override
        public void close() {
        }
    }

    @TempDir
    Path folder;

    private final AtomicInteger lpWorkBodies = new AtomicInteger();
    private final AtomicInteger lpYieldBodies = new AtomicInteger();
    private final KernelRecorder recorder = new KernelRecorder();
    private final SimulatedPlatform sim = SimulatedPlatform.builder().computeUnits(4).hardwarePriority(false)
            .costModel(KernelCostModel.perKernel(Map.of("lp_work", Duration.ofMillis(10), "lp_yield", Duration.ofMillis(10),
                    "hp_work", Duration.ofMillis(1)),
                    Duration.ofMillis(1)))
            .yieldCheckInterval(Duration.ofNanos(20_000))
            .kernelBody("lp_work", (config, args, memory) -> lpWorkBodies.incrementAndGet())
            .kernelBody("lp_yield", (config, args, memory) -> lpYieldBodies.incrementAndGet())
            .listener(recorder).build();
    private final VirtualClock clock = sim.virtualClock();
    private final CachedAnswers source = new CachedAnswers();
    private final XScheduler scheduler = XScheduler.builder().jmx(false).clock(clock::nanoTime).decisionSource(source)
            .manual(() -> clock.advanceBy(10_000)).build();
    private final Device gpu = sim.device(0);
    private final HipModule module = gpu.loadModule(gpu.compiler().compile("work.hip", SOURCE));
    private final Kernel lpWork = module.function("lp_work", ParamType.INT);
    private final Kernel lpYield = module.function("lp_yield", ParamType.INT, ParamType.POINTER, ParamType.POINTER,
            ParamType.POINTER);
    private final Kernel hpWork = module.function("hp_work", ParamType.INT);
    private StopWordFile file;
    private final StopWordRaiser otherProcess = new StopWordRaiser();

    @AfterEach
    void close() {
        scheduler.close();
        otherProcess.close();
        if (file != null) {
            file.close();
        }
        module.close();
        sim.close();
    }

    private StopWord word() {
        if (file == null) {
            file = StopWordFile.create(folder.resolve("stop"));
        }
        return file.allocate();
    }

    private void launchYieldable(XQueue queue, int n) {
        queue.launchYieldable(lpYield, LaunchConfig.of(4, 256), KernelArgs.builder().i32(n).build());
    }

    private void raise(StopWord word) {
        otherProcess.raise(word.path(), word.offset());
    }

    /**
     * Launches a 10 ms yieldable kernel and has the other process store into {@code word} 2 ms
     * later, then lets 0.2 ms pass; returns the time of the store.
     */
    private long launchThenStoreAfter2Ms(XQueue lp, StopWord word, int n) {
        launchYieldable(lp, n);
        scheduler.pump();
        long storedAt = clock.nanoTime() + 2 * MS;
        clock.advanceTo(storedAt);
        raise(word);
        clock.advanceTo(storedAt + MS / 5);
        return storedAt;
    }

    /** The latest run of the yieldable kernel stopped at its next check after the store, with no call into the queue. */
    private void assertLatestRunStoppedAfter(long storedAt, int runs) {
        assertThat(recorder.kernels("lp_yield")).hasSize(runs);
        assertThat(recorder.kernels("lp_yield").getLast().endNanos()).as("stopped at its next check after the store")
                .isBetween(storedAt, storedAt + MS / 10);
    }

    @Test
    void aStoreStopsTheRunningKernelAndTheQueueWaitsForAFreshDecisionThenArmsAgain() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        long storedAt = launchThenStoreAfter2Ms(lp, word, 0);
        assertLatestRunStoppedAfter(storedAt, 1);

        for (int round = 0; round < 5; round++) {
            scheduler.pump(); // each round applies the source's cached "run": not a decision about the raise
        }
        clock.advanceTo(20 * MS);
        scheduler.pump();
        assertThat(recorder.kernels("lp_yield")).as("held until a fresh decision: not launched again").hasSize(1);
        assertThat(lp.stats().completed()).isZero();

        source.scheduling.apply(Map.of(lp.id(), false)); // the server lets it run after all
        lp.synchronize();
        assertThat(recorder.kernels("lp_yield")).hasSize(2);
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(lp.stats().yielded()).isEqualTo(1);
        assertThat(lpYieldBodies).as("its work done once").hasValue(1);

        // Armed again past the word's new value: the next store stops the next launch.
        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 1), 3);
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(2);
        assertThat(lpYieldBodies).hasValue(2);
    }

    @Test
    void aSuspendThatFollowsTheStoreFindsTheFlagUpAndTheResumeRunsTheWorkOnce() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 0), 1);

        source.answer.put(lp.id(), true);
        source.scheduling.apply(Map.of(lp.id(), true)); // the server's suspend, later than the store
        clock.advanceTo(10 * MS);
        scheduler.pump();
        assertThat(lp.stats().suspended()).isTrue();
        assertThat(recorder.kernels("lp_yield")).hasSize(1);

        source.answer.remove(lp.id());
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(recorder.kernels("lp_yield")).hasSize(2);
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(lpYieldBodies).hasValue(1);
    }

    @Test
    void withTheDeviceGateAStoreHoldsReleasedKernelsThatHaveNotStarted() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1).withDeviceGate(true));
        StopWord word = word();
        lp.armRemoteStop(word);
        for (int i = 0; i < 3; i++) {
            lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(i).build());
        }
        scheduler.pump();
        assertThat(lp.stats().inFlight()).isEqualTo(3);
        clock.advanceTo(5 * MS);
        raise(word);
        clock.advanceTo(40 * MS);
        scheduler.pump();
        assertThat(recorder.kernels("lp_work")).as("the running one finishes; the two behind the gate wait").hasSize(1);

        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(recorder.kernels("lp_work")).hasSize(3);
        assertThat(lpWorkBodies).as("each ran exactly once").hasValue(3);
        assertThat(recorder.kernels("lp_work").get(1).startNanos()).isGreaterThanOrEqualTo(40 * MS);
    }

    /** An armed queue whose word another process advanced while it was idle, then one yieldable launch submitted. */
    private XQueue armedQueueStoppedWhileIdleThenGivenWork() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        raise(word);
        clock.advanceTo(MS);
        launchYieldable(lp, 0);
        scheduler.pump();
        return lp;
    }

    @Test
    void aStoreWhileTheQueueIsIdleHoldsItsNextReleaseUntilADecision() {
        XQueue lp = armedQueueStoppedWhileIdleThenGivenWork();
        clock.advanceTo(5 * MS);
        scheduler.pump();
        assertThat(lp.stats().launched()).as("nothing released behind a raised flag").isZero();

        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(recorder.kernels("lp_yield")).as("ran once, unstopped: the flag came down first").hasSize(1);
    }

    @Test
    void closingAQueueThatAStoreHoldsWithNothingInFlightRunsItsWork() {
        XQueue lp = armedQueueStoppedWhileIdleThenGivenWork();
        assertThat(lp.stats().launched()).as("held, and nothing in flight to complete").isZero();
        lp.close(); // before any decision: the close itself lowers the flag
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(lpYieldBodies).hasValue(1);
    }

    @Test
    void closingAnArmedQueueLetsItsWaitGoAndGivesItsWordBack() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        launchYieldable(lp, 0);
        scheduler.pump();
        lp.close();
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(file.allocate().offset()).as("the word is free again").isEqualTo(word.offset());
    }

    @Test
    void closingAQueueThatAStoreHoldsRunsWhatItAccepted() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1).withDeviceGate(true));
        StopWord word = word();
        lp.armRemoteStop(word);
        launchYieldable(lp, 0);
        lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(1).build());
        scheduler.pump();
        clock.advanceTo(2 * MS);
        raise(word);
        clock.advanceTo(3 * MS);
        lp.close();
        assertThat(lp.stats().completed()).isEqualTo(2);
        assertThat(lpYieldBodies).hasValue(1);
        assertThat(lpWorkBodies).hasValue(1);
    }

    @Test
    void aDisarmedQueueIgnoresStoresUntilArmedAgain() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        lp.disarmRemoteStop(); // its process lost the server: its pending wait goes, with no raise
        source.scheduling.apply(Map.of(lp.id(), false)); // the fail-open resume
        raise(word);
        launchYieldable(lp, 0);
        scheduler.pump();
        lp.synchronize();
        assertThat(recorder.kernels("lp_yield")).as("nothing stopped it").hasSize(1);

        lp.rearmRemoteStop();
        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 1), 2);
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(2);
    }

    @Test
    void theOnlineQueueTurningReadyStopsTheBatchKernelBeforeItsOwnFirstKernel() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        AtomicInteger raises = new AtomicInteger();
        hp.onTurningReady(() -> {
            raises.incrementAndGet();
            raise(word);
        });
        launchYieldable(lp, 0);
        scheduler.pump();
        clock.advanceTo(2 * MS);
        long arrival = clock.nanoTime();
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(1).build());
        hp.synchronize();

        assertThat(raises).as("once per turning ready, not per command").hasValue(1);
        KernelRecord online = recorder.kernels("hp_work").getFirst();
        assertThat(online.startNanos() - arrival).as("the batch kernel's blocks left at their next check, not after its 8 ms")
                .isLessThan(MS / 10);
        assertThat(recorder.kernels("lp_yield").getFirst().endNanos()).isLessThanOrEqualTo(online.startNanos());

        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(lpYieldBodies).hasValue(1);

        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(2).build());
        hp.synchronize();
        assertThat(raises).as("turned ready again").hasValue(2);
    }

    @Test
    void anActionOnTurningReadyThatThrowsIsLoggedAndTheSubmissionGoesOn() {
        XQueue hp = scheduler.createQueue(gpu, 0, new XQueueConfig("hp", 4, 1));
        hp.onTurningReady(() -> {
            throw new IllegalStateException("the other process's file is gone");
        });
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
        hp.synchronize();
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(1).build());
        hp.synchronize();
        assertThat(hp.stats().completed()).isEqualTo(2);
        hp.onTurningReady(null);
        hp.launch(hpWork, LaunchConfig.of(1, 64), KernelArgs.builder().i32(2).build());
        hp.synchronize();
        assertThat(hp.stats().completed()).isEqualTo(3);
    }

    @Test
    void theSchedulersDeviceSynchronizationLetsTheArmedWaitGoAndArmsItAgain() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        launchYieldable(lp, 0);
        scheduler.pump();
        // Without the queue's pause around device-wide calls the simulator reports that the device
        // would wait for the word for good.
        scheduler.synchronize(gpu);
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(recorder.kernels("lp_yield")).as("the pause raised nothing: it ran once, unstopped").hasSize(1);

        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 1), 2);
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(2);
        assertThat(lpYieldBodies).hasValue(2);
    }

    /**
     * The calls that hung on an H100 while a queue was armed ({@code cuMemFree}, {@code cuModuleLoadData})
     * and the other device-wide calls, made directly on the device: the queue's listener lets its
     * wait go around each, without a raise (without it, the simulator reports that each would wait
     * for the word for good), and arms it again after.
     */
    @Test
    void deviceWideCallsWhileArmedReturnWithoutARaiseAndTheWaitIsArmedAgain() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        CodeObject code = gpu.compiler().compile("more.hip", SOURCE);
        launchYieldable(lp, 0); // in flight meanwhile: the calls wait for no work but the word's
        scheduler.pump();
        clock.advanceTo(2 * MS);

        makeEveryDeviceWideCall(code); // its device synchronization waits for the kernel
        lp.synchronize();
        assertThat(recorder.kernels("lp_yield")).as("ran once, whole: no pause raised its flag").singleElement()
                .satisfies(run -> assertThat(run.runNanos()).isEqualTo(10 * MS));
        assertThat(lp.isHeldByRemoteStop()).isFalse();

        // Armed again past the word's value: the next store stops the next launch.
        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 1), 2);
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(2);
        assertThat(lpYieldBodies).hasValue(2);
    }

    /** Frees device and pinned memory, loads and unloads a module, registers and unregisters host memory, synchronizes the device. */
    private void makeEveryDeviceWideCall(CodeObject code) {
        DeviceBuffer buffer = gpu.allocate(4096);
        PinnedBuffer pinned = gpu.allocatePinned(64);
        buffer.close();
        pinned.close();
        gpu.loadModule(code).close();
        try (Arena arena = Arena.ofShared()) {
            RegisteredHostMemory registered = gpu.registerHostMemory(arena.allocate(64, 64));
            registered.close();
        }
        gpu.synchronize();
    }

    /**
     * Threads make device-wide calls at once while the queue is armed, then go on while another
     * process stores into its word and decisions lower the raised flag (arming the wait again):
     * the pauses nest (the wait is armed again only after the last call), a store during a pause
     * stops nothing, one between pauses raises the flag as always, and nothing deadlocks or waits
     * for the word. Afterwards a decision lowers any raise and the wait is armed again.
     */
    @Test
    void concurrentDeviceWideCallsWhileArmedAndStoredIntoAllReturnAndLeaveTheWaitArmed() throws Exception {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        lp.armRemoteStop(word);
        CodeObject code = gpu.compiler().compile("more.hip", SOURCE);
        int callers = 4;
        int rounds = 15;
        CountDownLatch firstRounds = new CountDownLatch(callers); // made while armed, before any store
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    try {
                        makeEveryDeviceWideCall(code);
                    } finally {
                        firstRounds.countDown();
                    }
                    for (int i = 1; i < rounds; i++) {
                        makeEveryDeviceWideCall(code);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Runnable store = () -> raise(word);
        Runnable decide = () -> source.scheduling.apply(Map.of(lp.id(), false)); // lowers a raise: armed again
        for (Runnable action : List.of(store, decide)) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    firstRounds.await();
                    for (int i = 0; i < rounds; i++) {
                        action.run();
                        Thread.sleep(1);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failure.get()).as("every call returned").isNull();

        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.isHeldByRemoteStop()).isFalse();
        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 0), 1);
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(lpYieldBodies).hasValue(1);
    }

    /**
     * A queue closed while its stop is being made (held here in the word file's registration for
     * the device, a device-wide call made outside the flag lock): the close waits for it, and the
     * arm, finding the queue closed, closes the stop it made before the close frees the flag that
     * stop writes; the word stays the caller's, as after any refused arm.
     */
    @Test
    void aCloseWhileTheStopIsBeingMadeWaitsForItAndTheArmIsRefused() throws Exception {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        HoldFirstCall holdTheFirstCall = new HoldFirstCall();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (DeviceWideCallListener.Registration ignored = gpu.onDeviceWideCalls(holdTheFirstCall)) {
            Thread arming = Thread.ofPlatform().start(() -> {
                try {
                    lp.armRemoteStop(word);
                } catch (Throwable e) {
                    refused.set(e);
                }
            });
            holdTheFirstCall.inCall.await();
            Thread closing = Thread.ofPlatform().start(lp::close);
            try {
                awaitWaitingIn(closing, "YieldSupport", "close");
            } finally {
                holdTheFirstCall.letGo.countDown(); // also after a failure: the arm holds the word file's lock
            }
            arming.join();
            closing.join();
        }
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class).hasMessage("XQueue lp is closed");
        gpu.synchronize(); // no sticky failure: nothing wrote the flag after it was freed
        assertThat(file.allocate().offset()).as("the refused arm left the word taken, its caller's").isNotEqualTo(word.offset());
        word.close();
    }

    /** Waits until {@code thread} waits inside {@code method} of the class named {@code simpleName}; fails if it ends first. */
    private static void awaitWaitingIn(Thread thread, String simpleName, String method) throws InterruptedException {
        while (!(thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().endsWith("." + simpleName) && f.getMethodName().equals(method)))) {
            assertThat(thread.isAlive()).as(thread + " ended before it waited in " + simpleName + "." + method).isTrue();
            Thread.sleep(1);
        }
    }

    /**
     * Under a local policy (no decision source) every round is a fresh decision, but a round comes
     * only when something happens: a store into the word of a queue that already holds work (so it
     * turns ready no more) must still lead to the decision the queue waits for, with nothing else
     * going on. The API stress's quiet synchronization after its workers stopped.
     */
    @Test
    void underALocalPolicyAQueueHeldByAStoreGetsItsDecisionWithNothingElseGoingOn() {
        try (XScheduler local = XScheduler.builder().jmx(false).clock(clock::nanoTime)
                .manual(() -> clock.advanceBy(10_000)).build()) {
            XQueue lp = local.createQueue(gpu, 0, new XQueueConfig("lp", 1, 1));
            StopWord word = word();
            lp.armRemoteStop(word);
            lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(0).build());
            lp.launch(lpWork, LaunchConfig.of(4, 256), KernelArgs.builder().i32(1).build());
            local.pump();
            assertThat(lp.stats().inFlight()).as("one released, one buffered behind it").isEqualTo(1);
            clock.advanceTo(2 * MS);
            raise(word);
            clock.advanceTo(100 * MS);
            for (int i = 0; i < 10; i++) {
                local.pump();
                clock.advanceBy(MS);
            }
            assertThat(lp.stats().launched()).as("held no longer than the local policy's next round: "
                    + lp.stats() + ", held " + lp.isHeldByRemoteStop()).isEqualTo(2);
            assertThat(lp.isHeldByRemoteStop()).isFalse();
            lp.synchronize();
            assertThat(lp.stats().completed()).isEqualTo(2);
            assertThat(lpWorkBodies).hasValue(2);
        }
    }

    /**
     * A device-wide call already under way (past its listeners' befores) when a queue arms: the
     * arm's first wait would be pending work of the device that the call never paused, and the
     * call would wait for the word to move (on a GPU for good; the simulator reports it in virtual
     * time). The API stress met it within seconds (seeds 101 and 202: a free of pinned memory
     * waiting in the simulator while every worker waited for it). The arm now registers its pause
     * first and arms its first wait only once the calls that began without it have ended (without
     * waiting for them: they may wait for what only the arming thread ends); here the arm returns
     * while the free is held, and the wait is armed when the free ends.
     */
    @Test
    void aDeviceWideCallUnderWayWhenAQueueArmsDoesNotWaitForTheNewWait() throws Exception {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        StopWord word = word();
        word.registrationFor(gpu); // the file's registration up front, as once one queue of the process armed
        DeviceBuffer buffer = gpu.allocate(4096);
        HoldFirstCall holdTheFirstCall = new HoldFirstCall();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (DeviceWideCallListener.Registration ignored = gpu.onDeviceWideCalls(holdTheFirstCall)) {
            Thread freeing = Thread.ofPlatform().start(() -> {
                try {
                    buffer.close();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            holdTheFirstCall.inCall.await(); // the free is under way, its listeners' befores run
            Thread arming = Thread.ofPlatform().start(() -> {
                try {
                    lp.armRemoteStop(word);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            // The arm must not wait for the held call: in xsched-ipc a scheduling round arms, and
            // the call may wait for a gated queue that only a later round resumes.
            arming.join(TimeUnit.SECONDS.toMillis(10));
            boolean armWaited = arming.isAlive();
            holdTheFirstCall.letGo.countDown();
            assertThat(armWaited).as("the arm returned while the earlier free was held").isFalse();
            freeing.join();
            arming.join();
        }
        assertThat(failure.get()).as("the free did not wait for the word, and the arm went through").isNull();

        // Armed after the free: a store stops the next launch as always.
        assertLatestRunStoppedAfter(launchThenStoreAfter2Ms(lp, word, 0), 1);
        source.scheduling.apply(Map.of(lp.id(), false));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(1);
    }

    /** Holds the first device-wide call it sees in its before until {@code letGo} counts down. */
    private static final class HoldFirstCall implements DeviceWideCallListener {
        final CountDownLatch inCall = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);

        @Override
        public void beforeDeviceWideCall() {
            if (inCall.getCount() > 0) {
                inCall.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void afterDeviceWideCall() {
        }
    }

    @Test
    void misuseIsRefusedClearly() {
        XQueue lp = scheduler.createQueue(gpu, 0, new XQueueConfig("lp", 4, 1));
        lp.armRemoteStop(word());
        StopWord second = word();
        assertThatThrownBy(() -> lp.armRemoteStop(second)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a remote stop");
        lp.close();
        assertThatThrownBy(() -> lp.armRemoteStop(second)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> lp.armRemoteStop(null)).isInstanceOf(NullPointerException.class);

        FakeGpu fake = new FakeGpu();
        try (XScheduler other = XScheduler.builder().jmx(false).manual(() -> { }).build()) {
            XQueue onFake = other.createQueue(fake, XQueueConfig.defaults("fake"));
            assertThatThrownBy(() -> onFake.armRemoteStop(second)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("remote stop");
        }
    }
}
