package dev.xsched.examples.scenario;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;

import java.util.Optional;

/**
 * An experiment's knob, not a mode: before each HP request, a buffer of N MiB is written on the HP
 * queue, so that the request finds the GPU's L2 cache holding that buffer rather than its own
 * weights, as it does beside the batch model. Run with {@code standalone-hp} it gives a
 * cold-cache standalone baseline: how much of the HP model's longer GPU span beside the batch
 * model is the cache (docs/results.md; the H200's L2 is 50 MB, ResNet-18's weights 47 MB). Set
 * with {@code -Dxsched.scenario.hpCacheFlushMiB=N} (through {@code XSCHED_JAVA_OPTS}); unset or 0:
 * none. In a scheduled mode the writes are HP work like any other and the scheduler treats them
 * so.
 */
final class CacheFlush implements AutoCloseable {
    static final String PROPERTY = "xsched.scenario.hpCacheFlushMiB";

    private final DeviceBuffer buffer;

    /** Writes all of {@code buffer} (which it closes) before each request. */
    CacheFlush(DeviceBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * The flush the system property asks for on {@code device}, if any.
     *
     * @throws IllegalArgumentException if the property is not a whole number of MiB from 0 to 65536
     */
    static Optional<CacheFlush> fromProperty(Device device) {
        String value = System.getProperty(PROPERTY, "0").strip();
        long mebibytes;
        try {
            mebibytes = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a whole number of MiB, not '" + value + "'");
        }
        if (mebibytes < 0 || mebibytes > 65_536) {
            throw new IllegalArgumentException(PROPERTY + " must be from 0 to 65536 MiB, not " + mebibytes);
        }
        return mebibytes == 0 ? Optional.empty() : Optional.of(new CacheFlush(device.allocate(mebibytes << 20)));
    }

    /**
     * Writes the whole buffer on {@code queue} and waits for it: a value that changes with the
     * request, so that no write could be skipped as a repeat.
     */
    void before(CommandQueue queue, long request) {
        queue.memset(buffer, (int) (request % 255) + 1);
        queue.synchronize();
    }

    /** What the output says of it. */
    String note() {
        return "HP requests start with a cold cache: " + (buffer.byteSize() >> 20) + " MiB written on the HP queue before each ("
                + PROPERTY + ")";
    }

    @Override
    public void close() {
        buffer.close();
    }
}
