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

    /** The configuration read at first use. */
    public static AutoConfig config() {
        return Holder.CONFIG;
    }

    /**
     * The process-wide scheduler (created at first use, with the configured policy; with
     * {@code XSCHED_SCHEDULER=global} the scheduler server decides instead, see {@link AutoScheduler}).
     */
    public static XScheduler scheduler() {
        return Holder.SCHEDULER;
    }

    /**
     * An XQueue over {@code stream} with the configured threshold, batch size and hints; or the
     * stream itself when {@code XSCHED_AUTO_XQUEUE=OFF}. Closing the XQueue leaves the stream open.
     */
    public static CommandQueue wrap(Stream stream) {
        AutoConfig config = Holder.CONFIG;
        if (!config.enabled()) {
            return stream;
        }
        XQueue queue = Holder.SCHEDULER.wrap(stream,
                new XQueueConfig("auto-" + NAMES.incrementAndGet(), config.threshold(), config.batchSize(),
                        config.cooperativeYield()));
        config.hints().forEach(queue::hint);
        return queue;
    }
}
