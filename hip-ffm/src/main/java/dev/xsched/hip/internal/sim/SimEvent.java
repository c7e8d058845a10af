package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.internal.OwnedResource;

import java.util.Set;

final class SimEvent extends OwnedResource implements Event {
    private final SimDevice device;
    private final SimEngine engine;
    private final EventState state;
    private final Set<EventFlag> flags;

    SimEvent(SimDevice device, SimEngine engine, Set<EventFlag> flags) {
        super("event");
        this.device = device;
        this.engine = engine;
        this.state = new EventState(device.index());
        this.flags = Set.copyOf(flags);
    }

    /** The engine state of an open event of {@code engine}'s platform; rejects other events. */
    static SimEvent of(Event event, SimEngine engine) {
        if (!(event instanceof SimEvent sim) || sim.engine != engine) {
            throw new IllegalArgumentException("event " + event + " does not belong to this simulated platform");
        }
        sim.ensureOpen();
        return sim;
    }

    EventState state() {
        return state;
    }

    SimDevice device() {
        return device;
    }

    @Override
    public boolean isComplete() {
        ensureOpen();
        return engine.isComplete(state);
    }

    @Override
    public void synchronize() {
        ensureOpen();
        engine.synchronize(state);
    }

    @Override
    public float elapsedMillis(Event start) {
        ensureOpen();
        SimEvent from = of(start, engine);
        if (flags.contains(EventFlag.DISABLE_TIMING)) {
            throw new IllegalStateException("event was created with DISABLE_TIMING");
        }
        if (from.flags.contains(EventFlag.DISABLE_TIMING)) { // the drivers' answer, which the native path passes on
            throw HipException.of(HipError.INVALID_HANDLE, "hipEventElapsedTime (the start event was created with "
                    + "DISABLE_TIMING)");
        }
        return engine.elapsedMillis(from.state, state);
    }

    @Override
    public void close() {
        // A record still queued completes anyway (HIP allows destroying a pending event).
        markClosed();
    }

    @Override
    public String toString() {
        return "SimEvent[device=" + device.index() + ", " + flags + (isOpen() ? "" : ", closed") + "]";
    }
}
