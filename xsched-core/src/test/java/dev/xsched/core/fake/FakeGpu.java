package dev.xsched.core.fake;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.KernelCompiler;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.PinnedBuffer;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A scripted GPU for unit tests: every stream executes its commands in order, but a command only
 * completes when the test says so ({@link FakeStream#completeNext(int)}), or at once in
 * {@link #autoComplete} mode. Everything issued is logged, so tests can assert exactly what
 * reached the "hardware" and when.
 */
public final class FakeGpu implements HipPlatform, Device {
    private final List<FakeStream> streams = new ArrayList<>();
    private final AtomicInteger streamIds = new AtomicInteger();
    private volatile boolean autoComplete;
    /** Called before each command is issued, to check invariants at that instant. */
    public volatile Consumer<Issued> onIssue = issued -> { };

    /** One command that reached a stream. */
    public record Issued(int streamId, String what, int position) {
    }

    public FakeGpu autoComplete(boolean on) {
        this.autoComplete = on;
        return this;
    }

    boolean autoComplete() {
        return autoComplete;
    }

    public synchronized List<FakeStream> streams() {
        return List.copyOf(streams);
    }

    /** A kernel of this fake platform taking one INT argument (a tag tests use to identify launches). */
    public Kernel kernel(String name) {
        return new FakeKernel(name, List.of(ParamType.INT));
    }

    /**
     * A sliceable kernel of this fake platform: a tag and the block offset (both INT). Its launches
     * log as {@code launch name#tag@offset+blocks}.
     */
    public Kernel slicedKernel(String name) {
        return new FakeKernel(name, List.of(ParamType.INT, ParamType.INT));
    }

    public static KernelArgs tag(int tag) {
        return KernelArgs.builder().i32(tag).build();
    }

    record FakeKernel(String name, List<ParamType> signature) implements Kernel {
        @Override
        public boolean isLoaded() {
            return true;
        }
    }

    // ---- HipPlatform ----
    @Override
    public String name() {
        return "fake";
    }

    @Override
    public boolean isSimulated() {
        return true;
    }

    @Override
    public String runtimeVersion() {
        return "fake";
    }

    @Override
    public String driverVersion() {
        return "fake";
    }

    @Override
    public int deviceCount() {
        return 1;
    }

    @Override
    public Device device(int index) {
        return this;
    }

    @Override
    public Optional<String> noDeviceReason() {
        return Optional.empty();
    }

    @Override
    public KernelCompiler compiler() {
        throw new UnsupportedOperationException("the fake GPU compiles nothing");
    }

    // ---- Device ----
    @Override
    public int index() {
        return 0;
    }

    @Override
    public HipPlatform platform() {
        return this;
    }

    @Override
    public String architecture() {
        return "fake";
    }

    @Override
    public int attribute(DeviceAttribute attribute) {
        return 1;
    }

    @Override
    public long totalMemory() {
        return 1L << 30;
    }

    @Override
    public PriorityRange streamPriorityRange() {
        return new PriorityRange(0, -5);
    }

    @Override
    public synchronized Stream createStream(int priority) {
        FakeStream stream = new FakeStream(this, streamIds.incrementAndGet(), priority);
        streams.add(stream);
        return stream;
    }

    @Override
    public Event createEvent(Set<EventFlag> flags) {
        // XQueues make their sync points with both flags; tests' own events have neither.
        return new FakeEvent(flags.containsAll(Set.of(EventFlag.BLOCKING_SYNC, EventFlag.DISABLE_TIMING)));
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        return new FakeBuffer(this, bytes);
    }

    @Override
    public PinnedBuffer allocatePinned(long bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HipModule loadModule(CodeObject code) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void synchronize() {
        for (FakeStream stream : streams()) {
            stream.synchronize();
        }
    }

    /** Device memory without storage: enough for argument checks. */
    public static final class FakeBuffer implements DeviceBuffer {
        private final FakeGpu gpu;
        private final long size;
        private volatile boolean open = true;

        FakeBuffer(FakeGpu gpu, long size) {
            this.gpu = gpu;
            this.size = size;
        }

        @Override
        public Device device() {
            return gpu;
        }

        @Override
        public long address() {
            return 0x1000;
        }

        @Override
        public long byteSize() {
            return size;
        }

        @Override
        public DeviceBuffer buffer() {
            return this;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public DeviceMemory slice(long offset, long length) {
            return dev.xsched.hip.internal.DeviceRange.sliceOf(this, offset, length);
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** An event: complete once the stream completed everything before its record. */
    public static final class FakeEvent implements Event {
        // Volatile, written position-then-stream and read stream-then-position: no lock, so no
        // lock-order cycle with the stream.
        private volatile FakeStream stream;
        private volatile int position;
        private static final AtomicInteger IDS = new AtomicInteger();
        private final boolean syncPoint;
        private final int id = IDS.incrementAndGet();

        FakeEvent(boolean syncPoint) {
            this.syncPoint = syncPoint;
        }

        /** How this event appears in stream logs: "e12". */
        public String label() {
            return "e" + id;
        }

        void recorded(FakeStream stream, int position) {
            this.position = position;
            this.stream = stream;
        }

        @Override
        public boolean isComplete() {
            FakeStream s = stream;
            return s == null || s.completed() >= position;
        }

        @Override
        public void synchronize() {
            FakeStream s = stream;
            if (s != null) {
                s.awaitCompleted(position);
            }
        }

        @Override
        public float elapsedMillis(Event start) {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /** A stream whose commands complete when the test says so. */
    public static final class FakeStream implements Stream {
        private final FakeGpu gpu;
        private final int id;
        private final int priority;
        private final List<String> log = new ArrayList<>();
        private int completed;
        private boolean open = true;

        FakeStream(FakeGpu gpu, int id, int priority) {
            this.gpu = gpu;
            this.id = id;
            this.priority = priority;
        }

        public int id() {
            return id;
        }

        private synchronized void issue(String what) {
            gpu.onIssue.accept(new Issued(id, what, log.size() + 1));
            log.add(what);
            if (gpu.autoComplete()) {
                completed = log.size();
                notifyAll();
            }
        }

        /** Everything issued so far, in order ("launch k#3", "record", "sync" for a sync point, ...). */
        public synchronized List<String> log() {
            return List.copyOf(log);
        }

        /** Issued commands other than sync points. */
        public synchronized List<String> launches() {
            return log.stream().filter(s -> !s.equals("sync")).toList();
        }

        public synchronized int completed() {
            return completed;
        }

        /** Issued and not yet completed, sync points excluded. */
        public synchronized int pendingLaunches() {
            return (int) log.subList(completed, log.size()).stream().filter(s -> !s.equals("sync")).count();
        }

        /** Completes the next {@code n} issued commands (records included). */
        public synchronized void completeNext(int n) {
            completed = Math.min(log.size(), completed + n);
            notifyAll();
        }

        public synchronized void completeAll() {
            completed = log.size();
            notifyAll();
        }

        synchronized void awaitCompleted(int position) {
            while (completed < position) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public Device device() {
            return gpu;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public synchronized boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() {
            open = false;
        }

        @Override
        public void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
            String what = "launch " + kernel.name() + "#" + (args.count() > 0 ? (int) args.bits(0) : 0);
            if (args.count() == 2) {
                what += "@" + (int) args.bits(1) + "+" + config.grid().x();
            }
            issue(what);
        }

        @Override
        public void copy(DeviceMemory dst, MemorySegment src) {
            issue("copy h2d");
        }

        @Override
        public void copy(MemorySegment dst, DeviceMemory src) {
            issue("copy d2h");
        }

        @Override
        public void copy(DeviceMemory dst, DeviceMemory src) {
            issue("copy d2d");
        }

        @Override
        public void memset(DeviceMemory dst, int value) {
            issue("memset");
        }

        @Override
        public synchronized void record(Event event) {
            FakeEvent fake = (FakeEvent) event;
            issue(fake.syncPoint ? "sync" : "record " + fake.label());
            ((FakeEvent) event).recorded(this, log.size());
        }

        @Override
        public void waitFor(Event event) {
            issue("wait " + ((FakeEvent) event).label());
        }

        @Override
        public void synchronize() {
            int target;
            synchronized (this) {
                target = log.size();
            }
            awaitCompleted(target);
        }

        @Override
        public synchronized boolean isIdle() {
            return completed == log.size();
        }

        @Override
        public String toString() {
            return "FakeStream[" + id + "]";
        }
    }
}
