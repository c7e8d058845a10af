package dev.xsched.core;

import dev.xsched.hip.CommandQueue;
import dev.xsched.hip.Stream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Adoption in a few lines: a process-wide scheduler configured from the environment
 * ({@link AutoConfig}), and queues over existing streams.
 *
 * <pre>{@code
 * Stream stream = gpu.createStream();
 * CommandQueue queue = AutoXQueues.wrap(stream);  // was: CommandQueue queue = stream;
 * model.forward(queue);                           // unchanged code
 * }</pre>
 */
public final class AutoXQueues {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static final class Holder {
        static final AutoConfig CONFIG = AutoConfig.fromSystem();
        static final AutoScheduler MODE = AutoScheduler.fromSystem();
        static final XScheduler SCHEDULER = build();

        private static XScheduler build() {
            XScheduler.Builder builder = XScheduler.builder().name("xsched-auto").policy(CONFIG.policy());
            if (MODE.global()) {
                builder.server(MODE.socket());
            }
            return builder.build();
        }
    }

    private AutoXQueues() {
    }

    /**
     * The configuration read at first use. The first call of any method of this class also starts
     * the process-wide scheduler.
     *
     * @return the process-wide configuration
     * @throws ExceptionInInitializerError at the first use, if a setting is malformed (the
     *         {@link IllegalArgumentException} of {@link AutoConfig#from} is its cause); later uses
     *         then throw {@link NoClassDefFoundError}
     */
    public static AutoConfig config() {
        return Holder.CONFIG;
    }

    /**
     * The process-wide scheduler (created at first use, with the configured policy; with
     * {@code XSCHED_SCHEDULER=global} the scheduler server decides instead, see {@link AutoScheduler}).
     * It lives as long as the JVM: its threads are daemons, and nothing closes it unless the
     * program does (after which {@link #wrap} throws).
     *
     * @return the shared scheduler, named {@code xsched-auto}
     */
    public static XScheduler scheduler() {
        return Holder.SCHEDULER;
    }

    /**
     * An XQueue over {@code stream} with the configured threshold, batch size and hints; or the
     * stream itself when {@code XSCHED_AUTO_XQUEUE=OFF}. Closing the XQueue leaves the stream open.
     * Thread-safe.
     *
     * @param stream an open stream, which must stay open while the queue is in use
     * @return the queue to submit to instead of {@code stream} (an {@link XQueue} unless disabled)
     * @throws IllegalStateException if the stream or the process-wide scheduler is closed
     */
    public static CommandQueue wrap(Stream stream) {
        AutoConfig config = Holder.CONFIG;
        if (!config.enabled()) {
            return stream;
        }
        XQueue queue = Holder.SCHEDULER.wrap(stream, config.queueConfig("auto-" + NAMES.incrementAndGet()));
        config.hints().forEach(queue::hint);
        return queue;
    }
}
