package dev.xsched.ipc.it;

import dev.xsched.core.XQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.RegisteredHostMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Gives a simulated queue work for exactly as long as a test wants: {@link #hold} submits one
 * command that waits on a host word and then launches a kernel; {@link #release} advances the word
 * by one and lets one held command through (releases before a hold count, as a semaphore's
 * permits do). Unlike a kernel body that blocks until released, which holds the simulator's lock
 * all the while, the wait leaves the simulator free for the process's other device calls, such as
 * writing a queue's stop flag, which the cross-process stop makes while work is held. Not for
 * device-wide calls (a free, a module load, a host registration such as the first arm of a stop
 * word, which registers its file): like a GPU, the simulator makes them wait for every wait on
 * host memory, a held gate included, so arm a queue before holding it.
 */
public final class SimGate implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** More releases than any test holds: what {@link #open()} adds. */
    private static final int FOR_GOOD = 1 << 30;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment word = arena.allocate(ValueLayout.JAVA_INT);
    private final RegisteredHostMemory registered;
    private final Kernel kernel;
    /** Holds so far; only the holding thread writes it. */
    private int holds;

    /**
     * A closed gate on {@code device}.
     *
     * @param device a simulated device (it registers host memory)
     * @param kernel what each held command launches once released, one block of one thread
     */
    public SimGate(Device device, Kernel kernel) {
        this.registered = device.registerHostMemory(word);
        this.kernel = kernel;
    }

    /**
     * Submits one command to {@code queue} that runs {@link #kernel} once the gate let it through.
     *
     * @param queue the queue, on this gate's device
     */
    public synchronized void hold(XQueue queue) {
        int value = ++holds;
        queue.enqueue(stream -> {
            stream.waitUntilAtLeast(registered, 0, value);
            stream.launch(kernel, LaunchConfig.of(1, 1), KernelArgs.builder().build());
        });
    }

    /** Lets one held command (the oldest still waiting, or the next one held) through. */
    public void release() {
        INT.getAndAdd(word, 0L, 1);
    }

    /** Lets every command through, those held later too. */
    public void open() {
        INT.getAndAdd(word, 0L, FOR_GOOD);
    }

    /** Opens the gate, unregisters and frees its word: call once its commands completed. */
    @Override
    public void close() {
        open();
        registered.close();
        arena.close();
    }
}
