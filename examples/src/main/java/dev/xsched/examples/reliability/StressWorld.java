package dev.xsched.examples.reliability;

import dev.xsched.core.CloseMode;
import dev.xsched.core.XQueue;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.core.coordination.StopWordRaiser;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the stress workers share: the scheduler, the device, the kernels, the queues, the ledger. */
final class StressWorld {
    /** A queue and the number its launches carry in the ledger. */
    record Slot(int number, XQueue queue) {
    }

    final XScheduler scheduler;
    final Device gpu;
    final Kernel tagged;
    /** A sliceable kernel (its last parameter the block offset), no body. */
    final Kernel sliced;
    /** Every launch of it fails when its queue releases it ({@code SimulatedPlatform.faulting}), failing the queue. */
    final Kernel faulty;
    final List<String> policies;
    final int maxQueues;
    final CommandLedger ledger;
    /** Queues open or being closed, that workers pick from. */
    final List<Slot> open = new CopyOnWriteArrayList<>();
    /** Every queue ever created, for the final checks. */
    final List<Slot> created = new CopyOnWriteArrayList<>();
    final AtomicInteger queueNumbers = new AtomicInteger();
    /** Whether the device's streams can wait for memory, so that queues may use the device gate. */
    final boolean deviceGate;
    final LongAdder callbacksAccepted = new LongAdder();
    final LongAdder callbacksRun = new LongAdder();
    /** Names of the queues given a faulting launch: only their failure may be met. */
    final Set<String> faulted = ConcurrentHashMap.newKeySet();
    /** Names of the queues some thread closed with DROP (or tried to: the close may have come second). */
    final Set<String> closedWithDrop = ConcurrentHashMap.newKeySet();
    /** Names of the queues whose failure some call reported: those that really failed. */
    final Set<String> failed = ConcurrentHashMap.newKeySet();
    /**
     * The stop words of this process, which armed queues wait on (null where the device's streams
     * cannot wait on host memory: nothing is armed then). Closed after the scheduler.
     */
    final StopWordFile stopWords;
    /** "Another process": advances the words of {@link #stopWords} through a mapping of its own. */
    final StopWordRaiser otherProcess = new StopWordRaiser();
    /** The words of the queues whose arm succeeded, by queue name (the queue owns the word; closing it frees the word). */
    final Map<String, StopWord> armed = new ConcurrentHashMap<>();
    /** Queues that a store into their word held when the workers stopped (each then synchronized alone). */
    final LongAdder heldAfterWorkers = new LongAdder();
    /** What {@link StressOp#DEVICE_WIDE_CALL} loads and unloads. */
    final CodeObject extraModule;

    StressWorld(XScheduler scheduler, Device gpu, Kernel tagged, Kernel sliced, Kernel faulty, List<String> policies,
                int maxQueues, CommandLedger ledger, StopWordFile stopWords, CodeObject extraModule) {
        this.scheduler = scheduler;
        this.gpu = gpu;
        this.tagged = tagged;
        this.sliced = sliced;
        this.faulty = faulty;
        this.policies = policies;
        this.maxQueues = maxQueues;
        this.ledger = ledger;
        this.extraModule = extraModule;
        try (dev.xsched.hip.Stream probe = gpu.createStream()) {
            this.deviceGate = probe.supportsMemoryWait();
        }
        this.stopWords = deviceGate && gpu.supportsHostRegistration() ? stopWords : null;
    }

    /** The name of the queue numbered {@code number} in the ledger. */
    static String queueName(int number) {
        return "stress-" + number;
    }

    /** A faulting launch is about to be submitted to {@code slot}'s queue. */
    void faultComing(Slot slot) {
        faulted.add(slot.queue().name());
        ledger.faultComing(slot.number());
    }

    /** Closes {@code queue} with {@code mode}, noting a DROP first (the ledger's checks excuse what it discarded). */
    void close(XQueue queue, CloseMode mode) {
        if (mode == CloseMode.DROP) {
            closedWithDrop.add(queue.name());
        }
        queue.close(mode);
    }

    /** A call reported the injected failure of queue {@code name} (one of {@link #faulted}). */
    void failureSeen(String name) {
        if (failed.add(name)) {
            ledger.failed(Integer.parseInt(name.substring("stress-".length())));
        }
    }

    /** An armed queue still open, with its word, or null when there is none. */
    Map.Entry<Slot, StopWord> pickArmed(SplittableRandom random) {
        List<Slot> now = open.stream().filter(slot -> armed.containsKey(slot.queue().name())).toList();
        if (now.isEmpty()) {
            return null;
        }
        Slot slot = now.get(random.nextInt(now.size()));
        StopWord word = armed.get(slot.queue().name());
        return word == null ? null : Map.entry(slot, word);
    }

    /** A queue to use, or null when none is open. */
    Slot pick(SplittableRandom random) {
        List<Slot> now = List.copyOf(open);
        return now.isEmpty() ? null : now.get(random.nextInt(now.size()));
    }
}
