package dev.xsched.core.fake;

import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.DeviceMemory;
import dev.xsched.hip.DeviceWideCallListener;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A scripted GPU for unit tests: every stream executes its commands in order, but a command only
 * completes when the test says so ({@link FakeStream#completeNext(int)}), or at once in
 * {@link #autoComplete} mode. Everything issued is logged, so tests can assert exactly what
 * reached the "hardware" and when.
 */
public final class FakeGpu implements HipPlatform, Device {
    private final List<FakeStream> streams = new ArrayList<>();
    private final List<FakePinned> pinned = new ArrayList<>();
    private final List<FakeBuffer> buffers = new ArrayList<>();
    private final AtomicInteger streamIds = new AtomicInteger();
    private volatile boolean autoComplete;
    /** Called before each command is issued, to check invariants at that instant. */
    public volatile Consumer<Issued> onIssue = issued -> { };
    /** Threads that blocked in an event's synchronize (the fake's stand-in for a driver wake-up). */
    public final Set<Thread> blockedOnEvents = ConcurrentHashMap.newKeySet();
    /** How many times any event was polled ({@link Event#isComplete}). */
    public final AtomicLong eventPolls = new AtomicLong();
    /** How many events were closed (each counted once). */
    public final AtomicInteger eventsClosed = new AtomicInteger();
    /** The listeners of device-wide calls ({@link #onDeviceWideCalls}), each in a wrapper of its own registration. */
    private final List<DeviceWideCallListener> deviceWideListeners = new CopyOnWriteArrayList<>();

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

    /** The streams tests script: every stream made but the blocked waits' ({@link #watchStreams}). */
    public synchronized List<FakeStream> streams() {
        return streams.stream().filter(s -> !s.follower).toList();
    }

    /**
     * The streams an XQueue made to block on its sync points ({@code BlockingWaits}): they carry
     * device-side waits and event records only, and complete as the events they wait for do.
     */
    public synchronized List<FakeStream> watchStreams() {
        return streams.stream().filter(s -> s.follower).toList();
    }

    /**
     * A yieldable kernel of this fake platform (its name must start with "y"): a tag, then the three
     * control pointers. A launch stops early when its queue's stop flag is up as it completes.
     */
    public Kernel yieldableKernel(String name) {
        if (!name.startsWith("y")) {
            throw new IllegalArgumentException("yieldable fake kernels are named y...");
        }
        return new FakeKernel(name, List.of(ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER));
    }

    /** A kernel of this fake platform taking one pointer. */
    public Kernel pointerKernel(String name) {
        return new FakeKernel(name, List.of(ParamType.POINTER));
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

    private final java.util.UUID uuid = java.util.UUID.randomUUID();

    @Override
    public java.util.UUID uuid() {
        return uuid;
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
        FakeStream stream = new FakeStream(this, streamIds.incrementAndGet(), priority, MADE_BY_BLOCKING_WAITS.get());
        streams.add(stream);
        return stream;
    }

    @Override
    public Event createEvent(Set<EventFlag> flags) {
        // An XQueue's sync points and the event after a yield-flag write have the same flags
        // (DISABLE_TIMING alone), so the fake asks who made it: sync points are the Releaser's.
        // Tests' own events have no flags; a blocked wait's (BlockingWaits) has BLOCKING_SYNC too.
        boolean syncPoint = MADE_BY_RELEASER.get();
        return new FakeEvent(this, syncPoint, !syncPoint && flags.equals(Set.of(EventFlag.DISABLE_TIMING)));
    }

    private static final Supplier<Boolean> MADE_BY_RELEASER = madeBy("dev.xsched.core.internal.Releaser");
    private static final Supplier<Boolean> MADE_BY_BLOCKING_WAITS = madeBy("dev.xsched.core.internal.BlockingWaits");

    /** Whether the calling code runs inside {@code className}: what the fake cannot tell from a call's arguments. */
    private static Supplier<Boolean> madeBy(String className) {
        return () -> StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().equals(className)));
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        FakeBuffer buffer = new FakeBuffer(this, bytes);
        synchronized (this) {
            if (buffer.storage != null) {
                buffers.add(buffer);
            }
        }
        return buffer;
    }

    /** The int at a "device" address inside a small device buffer of this GPU. */
    synchronized MemorySegment deviceInt(long address) {
        for (FakeBuffer buffer : buffers) {
            long offset = address - buffer.storage.address();
            if (buffer.open && offset >= 0 && offset + 4 <= buffer.size) {
                return buffer.storage.asSlice(offset, 4);
            }
        }
        throw new IllegalStateException("no open device buffer with storage holds address " + address);
    }

    @Override
    public PinnedBuffer allocatePinned(long bytes) {
        FakePinned buffer = new FakePinned(this, bytes);
        synchronized (this) {
            pinned.add(buffer);
        }
        return buffer;
    }

    /** The int at a "device" address inside a pinned buffer of this GPU (no restricted reinterpret needed). */
    synchronized MemorySegment pinnedInt(long address) {
        for (FakePinned buffer : pinned) {
            long offset = address - buffer.segment.address();
            if (buffer.open && offset >= 0 && offset + 4 <= buffer.segment.byteSize()) {
                return buffer.segment.asSlice(offset, 4);
            }
        }
        throw new IllegalStateException("no open pinned buffer holds address " + address);
    }

    /** Host memory in a shared arena; "kernels" see it at its host address, as with unified addressing. */
    public static final class FakePinned implements PinnedBuffer {
        private final FakeGpu gpu;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment segment;
        private volatile boolean open = true;

        FakePinned(FakeGpu gpu, long bytes) {
            this.gpu = gpu;
            segment = arena.allocate(bytes, 64);
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long byteSize() {
            return segment.byteSize();
        }

        @Override
        public long deviceAddress() {
            return segment.address();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                gpu.deviceWide(arena::close); // the fake's free
            }
        }
    }

    @Override
    public HipModule loadModule(CodeObject code) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void synchronize() {
        deviceWide(() -> {
            for (FakeStream stream : streams()) {
                stream.synchronize();
            }
        });
    }

    @Override
    public DeviceWideCallListener.Registration onDeviceWideCalls(DeviceWideCallListener listener) {
        Objects.requireNonNull(listener, "listener");
        DeviceWideCallListener entry = new DeviceWideCallListener() { // its own: a second registration of the listener is another
            @Override
            public void beforeDeviceWideCall() {
                listener.beforeDeviceWideCall();
            }

            @Override
            public void afterDeviceWideCall() {
                listener.afterDeviceWideCall();
            }
        };
        deviceWideListeners.add(entry);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                deviceWideListeners.remove(entry);
            }
        };
    }

    /**
     * Runs {@code call} between the listeners of device-wide calls, as hip-ffm's platforms run
     * theirs (befores in order, afters in reverse, afters also after a failure). The fake has no
     * wait on host memory for a listener to set aside; it keeps the contract all the same.
     */
    void deviceWide(Runnable call) {
        List<DeviceWideCallListener> listeners = List.copyOf(deviceWideListeners);
        int began = 0;
        try {
            while (began < listeners.size()) {
                listeners.get(began).beforeDeviceWideCall();
                began++;
            }
            call.run();
        } finally {
            for (int i = began - 1; i >= 0; i--) {
                listeners.get(i).afterDeviceWideCall();
            }
        }
    }

    /**
     * Device memory: buffers of up to 64 KiB have storage (host memory at a unique address, which
     * copies from the host fill at once, as if a copy engine landed them instantly); larger ones
     * have none and all sit at one fake address, enough for argument checks.
     */
    public static final class FakeBuffer implements DeviceBuffer {
        private static final long STORAGE_LIMIT = 64 * 1024;
        private final FakeGpu gpu;
        private final long size;
        private final MemorySegment storage;
        private volatile boolean open = true;

        FakeBuffer(FakeGpu gpu, long size) {
            this.gpu = gpu;
            this.size = size;
            this.storage = size <= STORAGE_LIMIT ? Arena.ofAuto().allocate(size, 64) : null;
        }

        @Override
        public Device device() {
            return gpu;
        }

        @Override
        public long address() {
            return storage != null ? storage.address() : 0x1000;
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
        public void close() {
            if (open) {
                open = false;
                gpu.deviceWide(() -> { }); // the fake's free: nothing to give back
            }
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

        private final boolean flagWrite;
        private final FakeGpu gpu;
        private final AtomicBoolean closed = new AtomicBoolean();

        FakeEvent(FakeGpu gpu, boolean syncPoint, boolean flagWrite) {
            this.gpu = gpu;
            this.syncPoint = syncPoint;
            this.flagWrite = flagWrite;
        }

        /**
         * How this event appears in stream logs: {@code eN}, or {@code fN} for the event an XQueue
         * records after writing its yield flag.
         */
        public String label() {
            return (flagWrite ? "f" : "e") + id;
        }

        void recorded(FakeStream stream, int position) {
            this.position = position;
            this.stream = stream;
        }

        @Override
        public boolean isComplete() {
            gpu.eventPolls.incrementAndGet();
            return completeUnpolled();
        }

        /** {@link #isComplete} without counting a poll (a stream following this event looks). */
        boolean completeUnpolled() {
            FakeStream s = stream;
            if (s == null) {
                return true;
            }
            synchronized (s) {
                s.followWaits();
                return s.completed() >= position;
            }
        }

        @Override
        public void synchronize() {
            FakeStream s = stream;
            if (s != null) {
                gpu.blockedOnEvents.add(Thread.currentThread());
                s.awaitCompleted(position);
            }
        }

        @Override
        public float elapsedMillis(Event start) {
            return 0;
        }

        @Override
        public void close() {
            if (!closed.getAndSet(true)) {
                gpu.eventsClosed.incrementAndGet();
            }
        }
    }

    /** A stream whose commands complete when the test says so. */
    public static final class FakeStream implements Stream {
        private final FakeGpu gpu;
        private final int id;
        private final int priority;
        private final List<String> log = new ArrayList<>();
        /** Per logged position (1-based): the control pointers of a managed yieldable launch. */
        private final Map<Integer, long[]> yieldControls = new HashMap<>();
        private final List<String> yielded = new ArrayList<>();
        private final Set<Integer> yieldedPositions = new HashSet<>();
        /** Per logged position (1-based): the event a device-side wait there waits for. */
        private final Map<Integer, FakeEvent> waits = new HashMap<>();
        /** A blocked wait's stream ({@link #watchStreams}): completes as the events it waits for do. */
        private final boolean follower;
        private int completed;
        private boolean open = true;

        FakeStream(FakeGpu gpu, int id, int priority, boolean follower) {
            this.gpu = gpu;
            this.id = id;
            this.priority = priority;
            this.follower = follower;
        }

        public int id() {
            return id;
        }

        private synchronized void issue(String what) {
            gpu.onIssue.accept(new Issued(id, what, log.size() + 1));
            log.add(what);
            if (gpu.autoComplete()) {
                completeUpTo(log.size());
            }
        }

        /**
         * Completes the commands up to {@code position}. A managed yieldable launch checks its
         * stop flag as it completes: when the flag is up it stops early, writing its record.
         */
        private void completeUpTo(int position) {
            for (int p = completed + 1; p <= position; p++) {
                long[] control = yieldControls.remove(p);
                if (control != null && control[0] != 0) {
                    if (gpu.deviceInt(control[0]).get(ValueLayout.JAVA_INT, 0) != 0) {
                        gpu.pinnedInt(control[2]).set(ValueLayout.JAVA_INT, 0, 1);
                        yielded.add(log.get(p - 1));
                        yieldedPositions.add(p);
                    }
                }
            }
            completed = Math.max(completed, position);
            notifyAll();
        }

        /** The launches that ran to the end, in order: every logged launch but those that stopped early. */
        public synchronized List<String> finishedLaunches() {
            List<String> finished = new ArrayList<>();
            for (int p = 1; p <= log.size(); p++) {
                if (log.get(p - 1).startsWith("launch") && !yieldedPositions.contains(p)) {
                    finished.add(log.get(p - 1));
                }
            }
            return finished;
        }

        /** Issued and not yet completed, sync points, memsets and waits for yield-flag writes excluded. */
        public synchronized int pendingExceptMemsets() {
            return (int) log.subList(completed, log.size()).stream()
                    .filter(c -> !c.equals("sync") && !c.equals("memset") && !c.startsWith("wait f")).count();
        }

        /** Yieldable launches (kernels named y...) issued and not yet completed. */
        public synchronized int pendingYieldable() {
            return (int) log.subList(completed, log.size()).stream().filter(c -> c.startsWith("launch y")).count();
        }

        /** The yieldable launches that stopped early, in order of completion. */
        public synchronized List<String> yielded() {
            return List.copyOf(yielded);
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
            completeUpTo(Math.min(log.size(), completed + n));
        }

        public synchronized void completeAll() {
            completeUpTo(log.size());
        }

        void awaitCompleted(int position) {
            while (true) {
                FakeEvent awaited;
                synchronized (this) {
                    followWaits();
                    if (completed >= position || !follower) {
                        break;
                    }
                    awaited = waits.get(completed + 1);
                }
                if (awaited == null) {
                    break; // a record: completes with what is before it (followWaits above)
                }
                awaited.synchronize();
            }
            awaitScripted(position);
        }

        private synchronized void awaitScripted(int position) {
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
            synchronized (this) {
                if (args.count() == 4 && kernel.name().startsWith("y")) {
                    yieldControls.put(log.size() + 1, new long[] {args.bits(1), args.bits(2), args.bits(3)});
                }
                issue(what);
            }
        }

        @Override
        public void copy(DeviceMemory dst, MemorySegment src) {
            if (dst.buffer() instanceof FakeBuffer fake && fake.storage != null) {
                fake.storage.asSlice(dst.address() - fake.address(), src.byteSize()).copyFrom(src);
            }
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
        public synchronized void waitFor(Event event) {
            issue("wait " + ((FakeEvent) event).label());
            waits.put(log.size(), (FakeEvent) event);
        }

        /** For a blocked wait's stream: completes what the events it waits for let complete by now. */
        private void followWaits() {
            if (!follower) {
                return;
            }
            int p = completed;
            while (p < log.size()) {
                FakeEvent awaited = waits.get(p + 1);
                if (awaited != null && !awaited.completeUnpolled()) {
                    break;
                }
                p++;
            }
            if (p > completed) {
                completeUpTo(p);
            }
        }

        /** Memory waits are logged, not performed: the test completes what it wants, as ever. */
        @Override
        public boolean supportsMemoryWait() {
            return true;
        }

        @Override
        public void waitUntilEquals(DeviceMemory word, int value) {
            issue("wait value " + value);
        }

        @Override
        public void synchronize() {
            int target;
            synchronized (this) {
                target = log.size();
                // A stream that only ever carried copies from the host and event records (an
                // XQueue's stream for its yield flag) models a copy engine, which tests do not
                // script: its work is done by the time anyone waits for it.
                if (log.stream().allMatch(c -> c.equals("copy h2d") || c.startsWith("record "))) {
                    completeUpTo(target);
                }
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
