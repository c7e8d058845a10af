package dev.xsched.ipc.client;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a state in real time, polling, up to a limit far beyond what a loaded machine needs. */
final class Eventually {
    private Eventually() {
    }

    /**
     * Whether {@code condition} held within {@code limit}, looked at every 0.2 ms.
     *
     * @param limit     how long to keep looking
     * @param condition the state waited for
     * @return true once it holds, false if the limit passed first
     */
    static boolean within(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }
}
