package dev.xsched.policies;

import dev.xsched.core.CloseMode;
import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.BlockDispatch;
import dev.xsched.hip.sim.KernelRecord;
import dev.xsched.hip.sim.KernelRecorder;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.VirtualClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A simulated GPU in virtual time driven by an {@link XScheduler} in manual mode: the scheduler's
 * clock is the simulator's, and time advances in fixed steps (the scheduler's reaction time), or
 * exactly to the next scripted action. Measurements come from the simulator's kernel records and
 * block dispatches, never from the scheduler's view.
 */
final class SimRig implements AutoCloseable {
    static final long US = 1_000;
    static final long MS = 1_000_000;

    final SimulatedPlatform sim;
    final VirtualClock clock;
    final Device gpu;
    final KernelRecorder recorder = new KernelRecorder();
    final XScheduler scheduler;
    final long step;
    private final Map<String, Kernel> kernels = new HashMap<>();
    private final TreeMap<Long, List<Runnable>> actions = new TreeMap<>();
    private final List<Runnable> everyStep = new ArrayList<>();
    private final List<XQueue> queues = new ArrayList<>();

    /**
     * @param computeUnits     block slots of the device (one block per unit)
     * @param hardwarePriority whether the simulator honours stream priorities at block boundaries
     * @param step             how far virtual time advances between two scheduler pumps
     * @param kernelNames      the kernels the rig's module defines (each takes one int)
     */
    SimRig(Policy policy, int computeUnits, boolean hardwarePriority, long step, String... kernelNames) {
        this(policy, computeUnits, hardwarePriority, 0, step, kernelNames);
    }

    /** Also with a fixed latency between a kernel reaching the head of its stream and its first block. */
    SimRig(Policy policy, int computeUnits, boolean hardwarePriority, long commandLatencyNanos, long step, String... kernelNames) {
        this.sim = SimulatedPlatform.builder().computeUnits(computeUnits).hardwarePriority(hardwarePriority)
                .commandLatency(Duration.ofNanos(commandLatencyNanos)).listener(recorder).build();
        this.clock = sim.virtualClock();
        this.gpu = sim.device(0);
        this.step = step;
        StringBuilder source = new StringBuilder();
        for (String name : kernelNames) {
            source.append("extern \"C\" __global__ void ").append(name).append("(int tag) { }\n");
            source.append("extern \"C\" __global__ void ").append(name).append("_sliced(int tag, int offset) { }\n");
        }
        var module = gpu.loadModule(gpu.compiler().compile("rig.hip", source.toString()));
        for (String name : kernelNames) {
            kernels.put(name, module.function(name, ParamType.INT));
            kernels.put(name + "_sliced", module.function(name + "_sliced", ParamType.INT, ParamType.INT));
        }
        this.scheduler = XScheduler.builder().name("rig").jmx(false).policy(policy)
                .clock(clock::nanoTime).manual(() -> clock.advanceBy(step)).build();
    }

    /** A queue on a default-priority stream, with hints; the policy has seen it when this returns. */
    XQueue queue(String name, int threshold, int batchSize, Hint... hints) {
        return register(scheduler.createQueue(gpu, new XQueueConfig(name, threshold, batchSize)), hints);
    }

    /** Takes over a queue made elsewhere (for example with a stream priority). */
    XQueue register(XQueue queue, Hint... hints) {
        for (Hint hint : hints) {
            queue.hint(hint);
        }
        queues.add(queue);
        scheduler.pump();
        return queue;
    }

    /** Submits a kernel of {@code blocks} blocks of {@code blockNanos} each. */
    void launch(XQueue queue, String kernel, int blocks, long blockNanos) {
        Kernel k = kernels.get(kernel);
        if (k == null) {
            throw new IllegalArgumentException("the rig has no kernel " + kernel);
        }
        queue.launch(SimulatedPlatform.withBlockDuration(k, Duration.ofNanos(blockNanos)), LaunchConfig.of(blocks, 64),
                KernelArgs.builder().i32(0).build());
    }

    /** Submits a kernel of {@code blocks} blocks of {@code blockNanos} each as a sliced launch of K-block slices. */
    void launchSliced(XQueue queue, String kernel, int blocks, long blockNanos, int blocksPerSlice) {
        Kernel k = kernels.get(kernel + "_sliced");
        if (k == null) {
            throw new IllegalArgumentException("the rig has no kernel " + kernel);
        }
        queue.launchSliced(SimulatedPlatform.withBlockDuration(k, Duration.ofNanos(blockNanos)), LaunchConfig.of(blocks, 64),
                KernelArgs.builder().i32(0).build(), blocksPerSlice);
    }

    /** Runs {@code action} before every pump (for example to keep a queue topped up). */
    void everyStep(Runnable action) {
        everyStep.add(action);
    }

    /** Keeps {@code queue} always busy: before every pump, tops its buffer up to {@code depth} kernels. */
    void keepBusy(XQueue queue, String kernel, int blocks, long blockNanos, int depth) {
        everyStep.add(() -> {
            for (int i = queue.stats().buffered(); i < depth; i++) {
                launch(queue, kernel, blocks, blockNanos);
            }
        });
    }

    /** Runs {@code action} when virtual time reaches {@code atNanos}, before the scheduler looks. */
    void at(long atNanos, Runnable action) {
        actions.computeIfAbsent(atNanos, k -> new ArrayList<>()).add(action);
    }

    long now() {
        return clock.nanoTime();
    }

    /** Advances to {@code endNanos}: actions, top-ups and a pump at every step and every action time. */
    void runUntil(long endNanos) {
        while (true) {
            runDue();
            if (now() >= endNanos) {
                return;
            }
            long next = Math.min(endNanos, now() + step);
            Long action = actions.ceilingKey(now() + 1);
            if (action != null) {
                next = Math.min(next, action);
            }
            clock.advanceTo(next);
        }
    }

    /** Like {@link #runUntil(long)}, until {@code done} holds; fails past {@code limitNanos}. */
    void runUntil(BooleanSupplier done, long limitNanos) {
        while (!done.getAsBoolean()) {
            if (now() >= limitNanos) {
                throw new AssertionError("not done by " + limitNanos / 1e6 + " ms");
            }
            runUntil(Math.min(limitNanos, now() + step));
        }
    }

    private void runDue() {
        while (!actions.isEmpty() && actions.firstKey() <= now()) {
            actions.pollFirstEntry().getValue().forEach(Runnable::run);
        }
        everyStep.forEach(Runnable::run);
        scheduler.pump();
    }

    /** Completed launches of {@code queue}'s stream, in completion order (a stream completes in order). */
    List<KernelRecord> kernels(XQueue queue) {
        long stream = SimulatedPlatform.streamId(queue.stream());
        return recorder.kernels().stream().filter(r -> r.streamId() == stream).toList();
    }

    /** Block-slot time {@code queue} occupied within [from, to): its share of the device. */
    long slotNanos(XQueue queue, long from, long to) {
        long stream = SimulatedPlatform.streamId(queue.stream());
        long total = 0;
        for (BlockDispatch d : recorder.dispatches()) {
            if (d.streamId() == stream) {
                long overlap = Math.min(d.endNanos(), to) - Math.max(d.startNanos(), from);
                if (overlap > 0) {
                    total += overlap * d.blocks();
                }
            }
        }
        return total;
    }

    /** Drops what is still buffered (always-busy queues), then closes the scheduler. */
    @Override
    public void close() {
        everyStep.clear();
        for (XQueue queue : queues) {
            queue.close(CloseMode.DROP);
        }
        scheduler.close();
    }
}
