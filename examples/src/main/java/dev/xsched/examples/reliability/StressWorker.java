package dev.xsched.examples.reliability;

import dev.xsched.core.CloseMode;
import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.PriorityRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One stress thread: picks operations at random (from its own seeded generator) and applies them
 * to the shared queues until the budget runs out. A documented refusal (a queue closed or removed
 * by another thread meanwhile, or failed on purpose) is counted; anything else thrown is a problem.
 */
final class StressWorker implements Runnable {
    private static final int COPY_BYTES = 256;
    /** The queues' lock spins, one chosen at random per queue. */
    private static final List<Duration> LOCK_SPINS = List.of(Duration.ZERO, XQueueConfig.DEFAULT_LOCK_SPIN,
            Duration.ofNanos(50_000));
    /** The queues' drain budgets, one chosen at random per queue: a fixed window, or one that moves. */
    private static final List<Duration> DRAIN_BUDGETS = List.of(Duration.ZERO, Duration.ofNanos(200_000), Duration.ofMillis(5));

    private final String name;
    private final StressWorld world;
    private final SplittableRandom random;
    private final Watchdog.Probe probe;
    private final BooleanSupplier budget;
    private final List<Event> events = new ArrayList<>();
    /** Written only by this thread's copy round trips, so what it reads back is known. */
    private DeviceBuffer copyTarget;
    /** Memsets go here: they may still be pending on another queue while a round trip runs. */
    private final DeviceBuffer memsetTarget;
    private final List<DeviceBuffer> retired = new ArrayList<>();
    /** Names of the queues the current operation submits to or waits on: only their failure may reach it. */
    private final Set<String> touched = new HashSet<>();

    final Map<StressOp, Long> done = new EnumMap<>(StressOp.class);
    final Map<String, Long> refused = new TreeMap<>();
    /** The first {@value #KEPT_PROBLEMS} problems; a fault that repeats on every operation must not fill the heap. */
    final List<String> problems = new ArrayList<>();
    private static final int KEPT_PROBLEMS = 20;
    private long problemsLeftOut;

    StressWorker(String name, StressWorld world, long seed, Watchdog.Probe probe, BooleanSupplier budget) {
        this.name = name;
        this.world = world;
        this.random = new SplittableRandom(seed);
        this.probe = probe;
        this.budget = budget;
        for (int i = 0; i < 2; i++) {
            events.add(world.gpu.createEvent());
        }
        this.copyTarget = world.gpu.allocate(COPY_BYTES);
        this.memsetTarget = world.gpu.allocate(COPY_BYTES);
    }

    @Override
    public void run() {
        while (budget.getAsBoolean()) {
            StressOp op = world.open.isEmpty() ? StressOp.CREATE_QUEUE : StressOp.pick(random);
            probe.begin(op.name());
            touched.clear();
            try {
                apply(op);
                done.merge(op, 1L, Long::sum);
            } catch (RuntimeException e) {
                String refusal = StressRefusals.classify(e, mayHaveFailed(op));
                if (refusal != null) {
                    String failed = StressRefusals.failedQueue(e);
                    refused.merge(op + ": " + refusal, 1L, Long::sum);
                    if (failed != null) {
                        world.failureSeen(failed);
                        if (random.nextBoolean()) {
                            closeFailed(failed);
                        }
                    }
                } else {
                    problem(name + " " + op + " threw " + StressRefusals.describe(e));
                }
            } catch (Error e) {
                problem(name + " " + op + " threw " + StressRefusals.describe(e));
                throw e;
            } finally {
                probe.end();
            }
        }
        if (problemsLeftOut > 0) {
            problems.add(name + ": " + problemsLeftOut + " further problems left out");
        }
    }

    /**
     * Whose injected failure {@code op} may meet: waits on the device or on an event may report
     * any queue's failure (the event's last record may be on a failed queue); any other operation
     * only the failure of a queue it touched. Another queue's failure reaching it would mean that
     * the failure leaked.
     */
    private Predicate<String> mayHaveFailed(StressOp op) {
        if (op == StressOp.SYNCHRONIZE_DEVICE || op == StressOp.SYNCHRONIZE_EVENT) {
            return world.faulted::contains;
        }
        return name -> world.faulted.contains(name) && touched.contains(name);
    }

    /**
     * Closes a queue whose failure this thread just met, as an application would, while other
     * threads may still be using it; half the time the queue is left to them instead. Without
     * this, failed queues would pile up among the open ones, and nearly every device-wide
     * synchronization would report one. Its failure was reported, so the close must not throw it.
     */
    private void closeFailed(String queueName) {
        for (StressWorld.Slot slot : world.open) {
            if (slot.queue().name().equals(queueName)) {
                try {
                    world.close(slot.queue(), random.nextBoolean() ? CloseMode.DRAIN : CloseMode.DROP);
                } catch (RuntimeException e) {
                    problem(name + " closing failed queue " + queueName + " threw " + StressRefusals.describe(e));
                } finally {
                    world.open.remove(slot);
                }
                return;
            }
        }
    }

    private void problem(String text) {
        if (problems.size() < KEPT_PROBLEMS) {
            problems.add(text);
        } else {
            problemsLeftOut++;
        }
    }

    /** Frees what this worker allocated; call once every queue is closed. */
    void release() {
        events.forEach(Event::close);
        copyTarget.close();
        memsetTarget.close();
        retired.forEach(DeviceBuffer::close);
    }

    private void apply(StressOp op) {
        StressWorld.Slot slot = world.pick(random);
        if (slot == null && op != StressOp.SWITCH_POLICY && op != StressOp.SYNCHRONIZE_DEVICE) {
            createQueue(); // every queue was closed since the loop looked
            return;
        }
        XQueue queue = slot == null ? null : slot.queue();
        if (queue != null) {
            touched.add(queue.name());
        }
        switch (op) {
            case CREATE_QUEUE -> createQueue();
            case LAUNCH -> {
                int tag = world.ledger.nextTag();
                queue.launch(world.tagged, LaunchConfig.of(1 + random.nextInt(8), 32),
                        KernelArgs.builder().i32(slot.number()).i32(tag).build());
                world.ledger.accepted(slot.number(), tag);
            }
            case LAUNCH_SLICED -> queue.launchSliced(world.sliced, LaunchConfig.of(2 + random.nextInt(15), 32),
                    KernelArgs.none(), 1 + random.nextInt(4));
            case COPY_ROUND_TRIP -> copyRoundTrip(queue);
            case MEMSET -> queue.memset(memsetTarget, random.nextInt(256));
            case RECORD_AND_WAIT -> {
                Event event = events.get(random.nextInt(events.size()));
                queue.record(event);
                StressWorld.Slot waiter = world.pick(random);
                if (waiter != null) {
                    touched.add(waiter.queue().name());
                    waiter.queue().waitFor(event);
                }
            }
            case SYNCHRONIZE_QUEUE -> queue.synchronize();
            case SYNCHRONIZE_EVENT -> world.scheduler.synchronize(events.get(random.nextInt(events.size())));
            case SYNCHRONIZE_DEVICE -> world.scheduler.synchronize(world.gpu);
            case CLOSE_QUEUE -> {
                // Other workers may be using the queue right now: that is the point.
                try {
                    world.close(queue, random.nextBoolean() ? CloseMode.DRAIN : CloseMode.DROP);
                } finally {
                    world.open.remove(slot); // closed even when close reports the queue's failure
                }
            }
            case HINT -> queue.hint(randomHint());
            case SWITCH_POLICY -> world.scheduler.setPolicy(world.policies.get(random.nextInt(world.policies.size())));
            case CALLBACK -> {
                queue.callback(world.callbacksRun::increment);
                world.callbacksAccepted.increment();
            }
            case QUERY -> {
                queue.isIdle();
                queue.stats();
                world.scheduler.queues();
            }
            case FAULT -> fault(slot);
            case ARM_REMOTE_STOP -> armRemoteStop();
            case STORE_INTO_WORD -> withArmed((armedSlot, word) -> world.otherProcess.raise(word.path(), word.offset()));
            case DISARM_REMOTE_STOP -> withArmed((armedSlot, word) -> armedSlot.queue().disarmRemoteStop());
            case REARM_REMOTE_STOP -> withArmed((armedSlot, word) -> armedSlot.queue().rearmRemoteStop());
            case DEVICE_WIDE_CALL -> deviceWideCall();
        }
    }

    /**
     * Arms a queue that is not armed yet with a fresh word of the world's file (an armed one when
     * every open queue is: the refusal is documented). A refused arm leaves the word the caller's,
     * which gives it back.
     */
    private void armRemoteStop() {
        if (world.stopWords == null) {
            return;
        }
        List<StressWorld.Slot> unarmed = world.open.stream().filter(s -> !world.armed.containsKey(s.queue().name())).toList();
        StressWorld.Slot slot = unarmed.isEmpty() ? world.pick(random) : unarmed.get(random.nextInt(unarmed.size()));
        if (slot == null) {
            return;
        }
        touched.add(slot.queue().name());
        StopWord word = world.stopWords.allocate();
        boolean armed = false;
        try {
            slot.queue().armRemoteStop(word);
            armed = true;
            world.armed.put(slot.queue().name(), word);
        } finally {
            if (!armed) {
                word.close();
            }
        }
    }

    /** Applies {@code action} to an armed queue still open and its word, if there is one. */
    private void withArmed(java.util.function.BiConsumer<StressWorld.Slot, StopWord> action) {
        Map.Entry<StressWorld.Slot, StopWord> armed = world.pickArmed(random);
        if (armed != null) {
            touched.add(armed.getKey().queue().name());
            action.accept(armed.getKey(), armed.getValue());
        }
    }

    /**
     * One of the calls that wait for the whole device, made and undone; armed queues pause their
     * waits around each. (The host registration found that the simulator gave a closed pinned
     * buffer's memory back before its free, waiting for host-memory waits, had unmapped it: a
     * registration of the reused memory was refused as overlapping. Fixed in AbstractPinnedBuffer.)
     */
    private void deviceWideCall() {
        switch (random.nextInt(4)) {
            case 0 -> world.gpu.allocate(1 + random.nextInt(1 << 16)).close();
            case 1 -> world.gpu.allocatePinned(1 + random.nextInt(4096)).close();
            case 2 -> {
                try (Arena arena = Arena.ofShared()) {
                    world.gpu.registerHostMemory(arena.allocate(64, 64)).close();
                }
            }
            default -> world.gpu.loadModule(world.extraModule).close();
        }
    }

    /**
     * Makes the queue fail on purpose: the launch of the faulting kernel is accepted, and fails
     * when the queue releases it. Half the time this thread then waits for it, which must throw
     * the failure (returning would pass a failed launch for done); otherwise the failure is left
     * to whichever later call or close meets it first.
     */
    private void fault(StressWorld.Slot slot) {
        touched.add(slot.queue().name());
        // Before the launch: another thread may meet the failure as soon as it is released.
        world.faultComing(slot);
        slot.queue().launch(world.faulty, LaunchConfig.of(1, 32), KernelArgs.builder().i32(slot.number()).build());
        if (random.nextBoolean()) {
            slot.queue().synchronize();
            problem(name + " FAULT: synchronize of " + slot.queue().name() + " returned after a faulting launch");
        }
    }

    private void createQueue() {
        if (world.open.size() >= world.maxQueues) {
            return;
        }
        PriorityRange range = world.gpu.streamPriorityRange();
        int priority = range.clamp(range.least() - random.nextInt(range.levels()));
        int threshold = 1 + random.nextInt(16);
        int number = world.queueNumbers.incrementAndGet();
        // Half the queues hold their released work behind the device gate where the device has it.
        // Their threads spin for the queue's lock for none, the default 2 us or 50 us before they
        // park: a spin must neither lose a wake-up nor hold up the others for good. A third keep a
        // fixed window; the others' windows move with their drain times (a window that shrinks
        // below the work in flight must hold releases back, not lose them).
        XQueue queue = world.scheduler.createQueue(world.gpu, priority,
                new XQueueConfig(StressWorld.queueName(number), threshold, 1 + random.nextInt(threshold))
                        .withDeviceGate(world.deviceGate && random.nextBoolean())
                        .withLockSpin(LOCK_SPINS.get(random.nextInt(LOCK_SPINS.size())))
                        .withDrainBudget(DRAIN_BUDGETS.get(random.nextInt(DRAIN_BUDGETS.size()))));
        StressWorld.Slot slot = new StressWorld.Slot(number, queue);
        world.created.add(slot);
        world.open.add(slot);
    }

    /**
     * Host to device, device to host, synchronize: the bytes must come back, unless a close with
     * DROP discarded part of it meanwhile. When the round trip did not finish normally its copies
     * may still run later, so the device buffer is retired rather than reused.
     */
    private void copyRoundTrip(XQueue queue) {
        byte value = (byte) random.nextInt(256);
        MemorySegment source = Arena.ofAuto().allocate(COPY_BYTES);
        MemorySegment back = Arena.ofAuto().allocate(COPY_BYTES);
        source.fill(value);
        long droppedBefore = queue.stats().dropped();
        boolean accepted = false;
        boolean finished = false;
        try {
            queue.copy(copyTarget, source);
            accepted = true;
            queue.copy(back, copyTarget);
            queue.synchronize();
            finished = queue.stats().dropped() == droppedBefore;
        } finally {
            if (accepted && !finished) {
                retired.add(copyTarget);
                copyTarget = world.gpu.allocate(COPY_BYTES);
            }
        }
        if (finished) {
            for (long i = 0; i < COPY_BYTES; i++) {
                byte read = back.get(ValueLayout.JAVA_BYTE, i);
                if (read != value) {
                    problem(name + " copy round trip on " + queue.name() + " read " + read + " at byte " + i
                            + " instead of " + value);
                    return;
                }
            }
        }
    }

    private Hint randomHint() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> new Hint.Priority(random.nextInt(-20, 21));
            case 2 -> new Hint.Weight(1 + random.nextInt(2048));
            case 3 -> new Hint.Utilization(5 + random.nextInt(46));
            case 4 -> new Hint.Timeslice(100_000L + random.nextInt(2_000_000));
            default -> new Hint.Deadline(1_000_000L + random.nextInt(20_000_000));
        };
    }
}
