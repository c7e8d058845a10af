package dev.xsched.hip.internal.sim;

import dev.xsched.hip.sim.VirtualClock;

/** The clock of one engine: manual in virtual time; in real time only {@link #nanoTime()} is allowed. */
public final class EngineClock implements VirtualClock {
    private final SimEngine engine;

    public EngineClock(SimEngine engine) {
        this.engine = engine;
    }

    @Override
    public long nanoTime() {
        return engine.nanoTime();
    }

    @Override
    public void advanceBy(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("advanceBy: nanos must be >= 0, got " + nanos);
        }
        engine.advanceClock(nanos, true, "advanceBy");
    }

    @Override
    public void advanceTo(long nanoTime) {
        engine.advanceClock(nanoTime, false, "advanceTo");
    }

    @Override
    public long runUntilIdle() {
        return engine.runUntilIdle();
    }

    @Override
    public String toString() {
        return (engine.isVirtualTime() ? "virtual" : "real-time") + " clock at " + nanoTime() + " ns";
    }
}
