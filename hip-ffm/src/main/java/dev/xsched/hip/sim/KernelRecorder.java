package dev.xsched.hip.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SimListener} that keeps every record, for tests and short experiments (it keeps them
 * all: do not leave one attached to a long real-time run). Thread-safe: the engine thread adds
 * while a test thread reads snapshots.
 */
public final class KernelRecorder implements SimListener {
    private final List<KernelRecord> kernels = new ArrayList<>();
    private final List<BlockDispatch> dispatches = new ArrayList<>();

    /** An empty recorder; register it with {@link SimulatedPlatform#addListener}. */
    public KernelRecorder() {
    }

    @Override
    public synchronized void kernelCompleted(KernelRecord record) {
        kernels.add(record);
    }

    @Override
    public synchronized void blocksDispatched(BlockDispatch dispatch) {
        dispatches.add(dispatch);
    }

    /**
     * Completed launches, in completion order.
     *
     * @return an immutable snapshot
     */
    public synchronized List<KernelRecord> kernels() {
        return List.copyOf(kernels);
    }

    /**
     * Completed launches of the kernel {@code name}, in completion order.
     *
     * @param name the kernel's symbol name
     * @return an immutable snapshot, empty if it never completed
     */
    public synchronized List<KernelRecord> kernels(String name) {
        return kernels.stream().filter(r -> r.kernelName().equals(name)).toList();
    }

    /**
     * The one completed launch of {@code name}, for tests that launch it once.
     *
     * @param name the kernel's symbol name
     * @return its record
     * @throws IllegalStateException if there is not exactly one, with the number found
     */
    public synchronized KernelRecord only(String name) {
        List<KernelRecord> found = kernels(name);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one completed launch of " + name + ", found " + found.size());
        }
        return found.getFirst();
    }

    /**
     * Block dispatches, in dispatch order.
     *
     * @return an immutable snapshot
     */
    public synchronized List<BlockDispatch> dispatches() {
        return List.copyOf(dispatches);
    }

    /** Forgets every record so far, for example between the phases of a test. */
    public synchronized void clear() {
        kernels.clear();
        dispatches.clear();
    }
}
