package dev.xsched.examples.reliability;

import dev.xsched.core.CloseMode;
import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.Event;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.PriorityRange;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * One stress thread: picks operations at random (from its own seeded generator) and applies them
 * to the shared queues until the budget runs out. A documented refusal (a queue closed or removed
 * by another thread meanwhile) is counted; anything else thrown is a problem.
 */
final class StressWorker implements Runnable {
    private static final int COPY_BYTES = 256;

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

    final Map<StressOp, Long> done = new EnumMap<>(StressOp.class);
    final Map<String, Long> refused = new TreeMap<>();
    final List<String> problems = new ArrayList<>();

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
            try {
                apply(op);
                done.merge(op, 1L, Long::sum);
            } catch (RuntimeException e) {
                String refusal = StressRefusals.classify(e);
                if (refusal != null) {
                    refused.merge(op + ": " + refusal, 1L, Long::sum);
                } else {
                    problems.add(name + " " + op + " threw " + StressRefusals.describe(e));
                }
            } catch (Error e) {
                problems.add(name + " " + op + " threw " + StressRefusals.describe(e));
                throw e;
            } finally {
                probe.end();
            }
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
                    waiter.queue().waitFor(event);
                }
            }
            case SYNCHRONIZE_QUEUE -> queue.synchronize();
            case SYNCHRONIZE_EVENT -> world.scheduler.synchronize(events.get(random.nextInt(events.size())));
            case SYNCHRONIZE_DEVICE -> world.scheduler.synchronize(world.gpu);
            case CLOSE_QUEUE -> {
                // Other workers may be using the queue right now: that is the point.
                queue.close(random.nextBoolean() ? CloseMode.DRAIN : CloseMode.DROP);
                world.open.remove(slot);
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
        XQueue queue = world.scheduler.createQueue(world.gpu, priority,
                new XQueueConfig("stress-" + number, threshold, 1 + random.nextInt(threshold))
                        .withDeviceGate(world.deviceGate && random.nextBoolean()));
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
                    problems.add(name + " copy round trip on " + queue.name() + " read " + read + " at byte " + i
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
