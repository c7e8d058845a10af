package dev.xsched.core.internal;

import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.StreamWork;
import dev.xsched.hip.YieldableKernels;

import java.lang.foreign.MemorySegment;

/**
 * One command held in an XQueue's host-side buffer. Everything a command needs is captured when
 * it is submitted (kernel arguments are already copied by {@link KernelArgs}), because it may be
 * released much later. Two kinds: a {@link StreamCommand} goes to the hardware stream; a
 * {@link HostCallback} runs on the host and never reaches the stream.
 */
public sealed interface Command {
    /** Position in its queue's submission order, from 1. */
    long seq();

    /**
     * When it was submitted (scheduler clock), or {@link #UNTIMED} if no JFR recording wanted its
     * launch latency then: the clock is read only for that.
     */
    long submittedAt();

    /**
     * {@link #submittedAt()} of a command submitted while no recording took its launch latency.
     * Reading the clock is not free everywhere: on a virtual machine whose clock has no fast path
     * (a {@code clock_gettime} system call per read) it costs as much as a kernel launch.
     */
    long UNTIMED = Long.MIN_VALUE;

    /** A short name for JFR and logs. */
    String kind();

    /** A command that is put on the hardware stream when released. */
    sealed interface StreamCommand extends Command {
        /** Puts the command on the stream (asynchronous). */
        void issue(Stream stream);
    }

    record Launch(long seq, long submittedAt, Kernel kernel, LaunchConfig config, KernelArgs args) implements StreamCommand {
        @Override
        public String kind() {
            return "launch " + kernel.name();
        }

        @Override
        public void issue(Stream stream) {
            stream.launch(kernel, config, args);
        }
    }

    /**
     * A launch of a {@linkplain YieldableKernels yieldable} kernel. Its first issue zeroes the
     * per-block state; when it stops early the queue puts it back at the head of its buffer and
     * issues it again, which resumes each block where it stopped and skips finished ones.
     * {@code issuedBefore} is only touched by the thread issuing it (under the queue's launch gate).
     */
    final class YieldableLaunch implements StreamCommand {
        private final long seq;
        private final long submittedAt;
        private final Kernel kernel;
        private final LaunchConfig config;
        private final KernelArgs args;
        private final DeviceMemory state;
        private final YieldSupport support;
        private boolean issuedBefore;

        YieldableLaunch(long seq, long submittedAt, Kernel kernel, LaunchConfig config, KernelArgs args,
                        DeviceMemory state, YieldSupport support) {
            this.seq = seq;
            this.submittedAt = submittedAt;
            this.kernel = kernel;
            this.config = config;
            this.args = args;
            this.state = state;
            this.support = support;
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public long submittedAt() {
            return submittedAt;
        }

        DeviceMemory state() {
            return state;
        }

        @Override
        public String kind() {
            return "yieldable launch " + kernel.name();
        }

        @Override
        public void issue(Stream stream) {
            if (!issuedBefore) {
                stream.memset(state, 0); // every block fresh, the stop latch down
                issuedBefore = true;
            } else {
                YieldableKernels.relaunchReset(stream, state, config); // or this launch's stops would go unrecorded
            }
            support.clearRecord(seq);
            stream.launch(kernel, config, YieldableKernels.managed(args, config, support.flag(), state, support.records(),
                    support.recordOffset(seq)));
        }

        @Override
        public String toString() {
            return "YieldableLaunch[" + seq + " " + kernel.name() + (issuedBefore ? ", relaunch" : "") + "]";
        }
    }

    record CopyToDevice(long seq, long submittedAt, DeviceMemory dst, MemorySegment src) implements StreamCommand {
        @Override
        public String kind() {
            return "copy host->device";
        }

        @Override
        public void issue(Stream stream) {
            stream.copy(dst, src);
        }
    }

    record CopyToHost(long seq, long submittedAt, MemorySegment dst, DeviceMemory src) implements StreamCommand {
        @Override
        public String kind() {
            return "copy device->host";
        }

        @Override
        public void issue(Stream stream) {
            stream.copy(dst, src);
        }
    }

    record CopyOnDevice(long seq, long submittedAt, DeviceMemory dst, DeviceMemory src) implements StreamCommand {
        @Override
        public String kind() {
            return "copy device->device";
        }

        @Override
        public void issue(Stream stream) {
            stream.copy(dst, src);
        }
    }

    record Memset(long seq, long submittedAt, DeviceMemory dst, int value) implements StreamCommand {
        @Override
        public String kind() {
            return "memset";
        }

        @Override
        public void issue(Stream stream) {
            stream.memset(dst, value);
        }
    }

    record Record(long seq, long submittedAt, Event event) implements StreamCommand {
        @Override
        public String kind() {
            return "record event";
        }

        @Override
        public void issue(Stream stream) {
            stream.record(event);
        }
    }

    /**
     * Waits for an event. When the event's latest record was submitted to another XQueue,
     * {@code producer} and {@code producerSeq} name that record: this wait must not reach the
     * hardware before the record does, or the hardware would wait on the event's previous state.
     */
    record Wait(long seq, long submittedAt, Event event, ProducerRef producer) implements StreamCommand {
        @Override
        public String kind() {
            return "wait event";
        }

        @Override
        public void issue(Stream stream) {
            stream.waitFor(event);
        }
    }

    /**
     * Work of other code ({@link StreamWork}, e.g. a vendor library call) enqueued on the stream
     * when released. Whatever it throws, {@link Error}s included (a library that fails to load),
     * comes out as {@link Failed}, so the queue fails with it as the cause instead of the issuing
     * thread dying.
     */
    record Foreign(long seq, long submittedAt, StreamWork work) implements StreamCommand {
        @Override
        public String kind() {
            return "stream work";
        }

        @Override
        public void issue(Stream stream) {
            try {
                work.enqueue(stream);
            } catch (HipException e) {
                throw e; // already names the native call; the queue adds its own name
            } catch (RuntimeException | Error e) {
                throw new Failed(e);
            }
        }

        /** Carries what the work threw out of {@link #issue}; the queue fails with its cause. */
        static final class Failed extends RuntimeException {
            Failed(Throwable cause) {
                super(cause.toString(), cause, false, false);
            }
        }
    }

    /** Runs on the host once every earlier command of the queue has completed. */
    record HostCallback(long seq, long submittedAt, Runnable action) implements Command {
        @Override
        public String kind() {
            return "host callback";
        }
    }

    /** The XQueue record command an event was last recorded by. */
    record ProducerRef(QueueCore queue, long seq) {
    }
}
