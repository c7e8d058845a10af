package dev.xsched.hip;

/**
 * Told before and after each call of a {@link Device} that waits for everything on the device
 * ({@link Device#onDeviceWideCalls}), so that work which never completes on its own can step aside
 * for it. A stream waiting on a word of host memory ({@link Stream#waitUntilAtLeast}) until another
 * process stores into it is such work: it is pending work of the device, and on NVIDIA every driver
 * call that implicitly waits for the whole context waits for it too, until the word moves (a
 * {@code cuMemFree} and a {@code cuModuleLoadData} hung so on an H100). A listener lets such a wait
 * go before the call and arms it again after.
 *
 * <p>The calls, on every platform (the simulated one included): {@link Device#synchronize()},
 * {@link Device#loadModule}, {@link HipModule#close()}, {@link DeviceBuffer#close()},
 * {@link PinnedBuffer#close()}, {@link Device#registerHostMemory} and
 * {@link RegisteredHostMemory#close()}; a close only when it reaches the driver (the first one, not
 * a repeated close that does nothing). Device-wide calls that other code in the process makes
 * without hip-ffm (another library's {@code cudaFree}) are not seen, and still wait.
 *
 * <p>Listeners run on the thread that makes the call: every {@link #beforeDeviceWideCall()} in
 * registration order, then the call, then every {@link #afterDeviceWideCall()} in reverse order,
 * also when the call throws. If a before throws, the call is not made: the afters of the befores
 * that ran are run, and the exception propagates. A listener must be safe to call from many threads
 * at once (device-wide calls on several threads overlap), and must not itself make a device-wide
 * call on any device (it would be notified again, and wait for what it set aside).
 */
public interface DeviceWideCallListener {
    /**
     * Runs before the device-wide call; what it throws prevents the call. For a close, that means
     * the resource counts as closed but is never freed (a leak rather than a call that could wait
     * for ever for what the listener failed to set aside): a listener should log and return rather
     * than throw wherever the call can safely go ahead.
     */
    void beforeDeviceWideCall();

    /** Runs after the device-wide call, whether it returned or threw, once for each before that ran. */
    void afterDeviceWideCall();

    /**
     * Runs once after registration, when every device-wide call that began before it (and so ran
     * no before of this listener) has ended: on the registering thread before
     * {@link Device#onDeviceWideCalls} returns if none was under way, else on the thread that
     * ends the last of them. Until then, work that this listener sets aside must not be enqueued:
     * such a call, past its listeners, would wait for it. An exception it throws is logged; an
     * error is thrown to the thread that told it, after every other listener due has been told.
     * Does nothing by default.
     */
    default void earlierCallsEnded() {
    }

    /**
     * A listener's registration ({@link Device#onDeviceWideCalls}); closing it removes the listener.
     * Calls that began before it is closed still run the listener, before and after.
     */
    interface Registration extends AutoCloseable {
        /** Removes the listener; only the first call does anything. Throws nothing. */
        @Override
        void close();
    }
}
