package dev.xsched.core;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.DecisionSourceProvider;
import dev.xsched.core.coordination.PolicyRunner;
import dev.xsched.core.internal.Command;
import dev.xsched.core.internal.Failures;
import dev.xsched.core.internal.QueueCore;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.core.policy.Policies;
import dev.xsched.core.policy.Policy;
import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Stream;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Schedules {@link XQueue}s: one dedicated thread receives what happens (a queue created, ready,
 * idle, blocked on another queue or removed, a hint, a timer, a policy switch), asks the active
 * {@link Policy} what to run, and suspends or resumes queues accordingly.
 *
 * <p>If the policy throws, the scheduler fails open: every queue runs, the error is logged and
 * recorded (JFR {@code dev.xsched.PolicyFailed}), and the policy is asked again on the next event.
 *
 * <p>Time comes from an injected {@link SchedulerClock}. In <em>manual</em> mode
 * ({@link Builder#manual}) no thread is started: a test drives everything with {@link #pump()}
 * on virtual time, deterministically; blocking calls then advance time through the given
 * callback instead of sleeping.
 *
 * <pre>{@code
 * try (XScheduler scheduler = XScheduler.builder().policy("hpf").build()) {
 *     XQueue online = scheduler.createQueue(gpu, XQueueConfig.defaults("online")).hint(new Hint.Priority(10));
 *     XQueue batch  = scheduler.createQueue(gpu, XQueueConfig.defaults("batch")).hint(new Hint.Priority(-10));
 *     model.forward(online);   // any code written against CommandQueue
 * }
 * }</pre>
 */
public final class XScheduler implements AutoCloseable {
    /** The system property that sets {@link Builder#eventSpin}'s default, in microseconds. */
    public static final String SPIN_PROPERTY = "xsched.scheduler.spinMicros";
    /** The environment variable that sets {@link Builder#eventSpin}'s default where the property is not. */
    public static final String SPIN_VARIABLE = "XSCHED_SCHEDULER_SPIN_US";
    /** The system property that sets {@link Builder#decideOnSubmit}'s default ({@code true} or {@code false}). */
    public static final String DECIDE_ON_SUBMIT_PROPERTY = "xsched.scheduler.decideOnSubmit";
    /** The environment variable that sets {@link Builder#decideOnSubmit}'s default where the property is not. */
    public static final String DECIDE_ON_SUBMIT_VARIABLE = "XSCHED_DECIDE_ON_SUBMIT";

    private static final AtomicLong SCHEDULER_IDS = new AtomicLong();
    private static final long MANUAL_STEP_LIMIT = 50_000_000L;

    private final String name;
    private final SchedulerClock clock;
    private final ThreadFactory threadFactory;
    private final Runnable advanceTime;
    private final boolean manual;
    private final AtomicLong queueIds = new AtomicLong();

    /** The queues not yet closed, by id; thread-safe. */
    private final Map<Long, QueueEntry> entries = new ConcurrentHashMap<>();
    /** The queue command that last recorded each event; synchronized, weak: an event no longer used drops out. */
    private final Map<Event, Command.ProducerRef> producers = Collections.synchronizedMap(new WeakHashMap<>());
    /** Ids of the queues whose close has begun; thread-safe: the first close of a queue adds it. */
    private final Set<Long> closing = ConcurrentHashMap.newKeySet();

    private final PolicyRunner runner;
    /** Where decisions come from instead of the local policy (a scheduler server), or null. */
    private final DecisionSource decisionSource;
    /** Events in, decisions out: the scheduling thread's work (the pump caller's in manual mode). */
    private final SchedulingLoop scheduling;

    private final Thread thread;
    /** Whether the scheduling thread should go on; cleared by close once every queue is closed. */
    private volatile boolean running = true;
    private final Lifecycle lifecycle = new Lifecycle();
    private final SchedulerMBeanRegistration mbean;

    /** Close's progress; its monitor also orders queue creation against close. */
    private static final class Lifecycle {
        /** Set by the first close; guarded by this. */
        boolean closing;
        /** Set once the first close released everything; guarded by this. */
        boolean closed;
    }

    private XScheduler(Builder builder) {
        this.name = builder.name != null ? builder.name : "xsched-" + SCHEDULER_IDS.incrementAndGet();
        this.clock = builder.clock;
        this.threadFactory = builder.threadFactory != null ? builder.threadFactory : Thread.ofPlatform().daemon().factory();
        this.manual = builder.manual;
        this.advanceTime = builder.advanceTime;
        this.runner = new PolicyRunner(name, builder.policy != null ? builder.policy : new PassThroughPolicy());
        this.decisionSource = builder.decisionSource != null ? builder.decisionSource
                : builder.server != null ? connect(builder.server, name) : null;
        Duration spin = builder.eventSpin != null ? builder.eventSpin : SpinSetting.fromEnvironment(SPIN_PROPERTY, SPIN_VARIABLE);
        boolean decideOnSubmit = !builder.manual && (builder.decideOnSubmit != null ? builder.decideOnSubmit
                : decideOnSubmitFromEnvironment());
        this.scheduling = new SchedulingLoop(name, clock, entries, runner, decisionSource, spin, decideOnSubmit);
        if (decisionSource != null) {
            // Queue id 0 is never used: the event only makes the scheduler decide again.
            decisionSource.attach(name, new DecisionSource.Scheduling() {
                @Override
                public void redecide() {
                    post(new SchedulerEvent.Changed(0));
                }

                @Override
                public void apply(Map<Long, Boolean> suspended) {
                    scheduling.applyArrived(suspended);
                    redecide();
                }
            });
        }
        if (manual) {
            this.thread = null;
        } else {
            this.thread = this.threadFactory.newThread(() -> scheduling.run(() -> running));
            this.thread.setName(name + "-scheduler");
            this.thread.setDaemon(true);
            this.thread.start();
        }
        this.mbean = builder.jmx ? SchedulerMBeanRegistration.register(this) : null;
    }

    private static boolean decideOnSubmitFromEnvironment() {
        String value = System.getProperty(DECIDE_ON_SUBMIT_PROPERTY, System.getenv(DECIDE_ON_SUBMIT_VARIABLE));
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(DECIDE_ON_SUBMIT_PROPERTY + " / " + DECIDE_ON_SUBMIT_VARIABLE
                    + " must be true or false, got '" + value + "'");
        };
    }

    private static DecisionSource connect(java.nio.file.Path socket, String name) {
        DecisionSourceProvider provider = java.util.ServiceLoader.load(DecisionSourceProvider.class, XScheduler.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a scheduler server needs the module dev.xsched.ipc "
                        + "(artifact dev.xsched:xsched-ipc) on the module or class path"));
        return provider.connect(socket, name);
    }

    /**
     * A builder with the defaults: the system clock, platform daemon threads, the
     * {@code pass-through} policy, the JMX MBean registered, decisions taken in this process.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a scheduler; every collaborator is injectable. */
    public static final class Builder {
        private String name;
        private SchedulerClock clock = SchedulerClock.system();
        private ThreadFactory threadFactory;
        private Policy policy;
        private boolean manual;
        private Runnable advanceTime;
        private boolean jmx = true;
        private DecisionSource decisionSource;
        private java.nio.file.Path server;
        private Duration eventSpin;
        private Boolean decideOnSubmit;

        private Builder() {
        }

        /**
         * Names the scheduler (default {@code xsched-<n>}): the prefix of its threads' names
         * ({@code <name>-scheduler}, {@code <name>-queue-<id>-completions}), the {@code name} key of
         * its MBean, and what log lines and the scheduler server show. A name already registered
         * in JMX by another scheduler of this JVM leaves the second one unregistered (logged).
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the source of time for readiness, timers, wake-ups and suspended-time counters
         * (default {@link SchedulerClock#system()}); with {@link #manual} typically a virtual clock.
         *
         * @param clock the clock, in nanoseconds
         * @return this builder
         */
        public Builder clock(SchedulerClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes the scheduling thread and one completion thread per queue (default: platform
         * daemon threads). The scheduler names the threads it gets and makes the scheduling thread
         * a daemon. Unused with {@link #manual}.
         *
         * @param threadFactory the factory, called on the builder's and {@code createQueue}'s threads
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * Sets the policy to run (default {@code pass-through}). The scheduler calls it one round
         * at a time (on its scheduling thread, or on a submitting thread with
         * {@link #decideOnSubmit}), so it needs no locking; for that reason one instance must not
         * be given to two schedulers.
         *
         * @param policy the policy instance, owned by the scheduler from now on
         * @return this builder
         */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Creates an installed policy by name ({@link Policies#create(String)}), now, with its
         * parameters from system properties and the environment.
         *
         * @param name the policy's name, for example {@code hpf}; case and surrounding blanks are ignored
         * @return this builder
         * @throws IllegalArgumentException if no installed policy has that name, or a parameter is malformed
         */
        public Builder policy(String name) {
            return policy(Policies.create(name));
        }

        /**
         * No threads: {@link XScheduler#pump()} does all the work. Blocking calls (synchronize)
         * pump and call {@code advanceTime} (for example {@code () -> virtualClock.advanceBy(10_000)})
         * until they can return.
         *
         * @param advanceTime moves the virtual clock forward one step, called on the waiting
         *                    thread; null where nothing ever has to wait (a wait then throws
         *                    {@link IllegalStateException} instead of hanging)
         * @return this builder
         */
        public Builder manual(Runnable advanceTime) {
            this.manual = true;
            this.advanceTime = advanceTime;
            return this;
        }

        /**
         * Whether to register the {@link XSchedulerMXBean} as
         * {@code dev.xsched:type=XScheduler,name=<name>} in the platform MBean server (default
         * true); it is unregistered on close. Tests that build many schedulers turn it off.
         *
         * @param jmx true to register
         * @return this builder
         */
        public Builder jmx(boolean jmx) {
            this.jmx = jmx;
            return this;
        }

        /**
         * Takes decisions from the scheduler server listening at {@code socket} (started with
         * {@code xsched server}), which runs one policy for the queues of every process connected to
         * it. Commands stay in this process; only queue states go to the server. Until the server
         * answers, and whenever it is unreachable, every queue runs (fail open). Needs the module
         * {@code dev.xsched.ipc} (artifact {@code xsched-ipc}). The connection is made in the
         * background: {@link #build()} never waits for the server.
         *
         * @param socket the server's Unix domain socket, for example
         *               {@link dev.xsched.core.coordination.ServerSocketPath#defaultPath()}
         * @return this builder
         */
        public Builder server(java.nio.file.Path socket) {
            this.server = Objects.requireNonNull(socket, "socket");
            return this;
        }

        /**
         * Takes decisions from {@code source} instead of the local policy (see
         * {@link DecisionSource}); it wins over {@link #server}. The scheduler closes it on close.
         *
         * @param source the source, attached once by {@link #build()}
         * @return this builder
         */
        public Builder decisionSource(DecisionSource source) {
            this.decisionSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * How long the scheduling thread polls for the next event (a queue turning ready or idle, a
         * hint, a policy switch) after each wake-up before it blocks in the kernel; default: the
         * system property {@value XScheduler#SPIN_PROPERTY}, else the environment variable
         * {@value XScheduler#SPIN_VARIABLE}, in microseconds, else zero (block at once). A spin takes
         * the wake-up of the scheduling thread out of a decision's latency (a queue turning ready
         * until the policy suspends another, in this process or, with {@link #server}, across
         * processes) for up to that long of one core after each event; it pays only on a host
         * with idle cores. With {@link #decideOnSubmit}, a round on a submitting thread also wakes
         * the spinning thread, so that the end of the work that turned the queue ready (its idle,
         * whose round resumes what the ready suspended) finds it polling: a spin about as long as
         * that work takes the scheduling thread's wake-up out of the resume as well. Unused with
         * {@link #manual}.
         *
         * @param spin from zero to 10 ms
         * @return this builder
         * @throws IllegalArgumentException if {@code spin} is negative or above 10 ms
         */
        public Builder eventSpin(Duration spin) {
            this.eventSpin = SpinSetting.check(Objects.requireNonNull(spin, "spin"));
            return this;
        }

        /**
         * Whether a submission that turns a queue ready runs the policy's decision round on the
         * submitting thread, at once, when no round is running elsewhere (else the scheduling
         * thread takes it, as without this option); default: the system property
         * {@value XScheduler#DECIDE_ON_SUBMIT_PROPERTY}, else the environment variable
         * {@value XScheduler#DECIDE_ON_SUBMIT_VARIABLE}, else false. It takes the scheduling
         * thread's wake-up out of a preemption: on the H200's host that wake-up took about 0.1 ms
         * at the median, during which the queue to be suspended kept running. The submitting
         * thread pays for the round instead (the policy, and the suspends it applies, such as a
         * stop flag's write). Policies are still called one round at a time. With a
         * {@link #server} the round sends the queue's new state to the server from the submitting
         * thread (a non-blocking write), which takes this process's wake-up out of the decision's
         * way there too. Unused with {@link #manual}.
         *
         * @param decideOnSubmit whether to decide on the submitting thread
         * @return this builder
         */
        public Builder decideOnSubmit(boolean decideOnSubmit) {
            this.decideOnSubmit = decideOnSubmit;
            return this;
        }

        /**
         * Starts a scheduler: its scheduling thread (unless {@link #manual}), the connection to the
         * server if one was given, and its MBean.
         *
         * @return the running scheduler; close it to release its threads and queues
         * @throws IllegalStateException if {@link #server} was set and no
         *         {@link DecisionSourceProvider} (module {@code dev.xsched.ipc}) is installed
         * @throws IllegalArgumentException if {@link #eventSpin} was not set and its system
         *         property or environment variable is not a number of microseconds from 0 to 10 ms,
         *         or {@link #decideOnSubmit} was not set and its property or variable is neither
         *         {@code true} nor {@code false}
         */
        public XScheduler build() {
            return new XScheduler(this);
        }
    }

    // ---- queues --------------------------------------------------------------------------

    /**
     * A queue over a new non-blocking stream of {@code device} at its lowest hardware priority; the
     * queue owns the stream and closes it with itself. Like every new queue it starts suspended:
     * what is submitted is buffered until the policy's first decision about it, which the
     * scheduling thread makes right after, asynchronously (in manual mode, at the next
     * {@link #pump()}).
     *
     * @param device the device to run on
     * @param config threshold, batch size, cooperative yield and name
     * @return the open queue; close it (or the scheduler) to release its stream and thread
     * @throws IllegalStateException if the scheduler is closing or closed
     * @throws dev.xsched.hip.HipException if the stream cannot be created
     */
    public XQueue createQueue(Device device, XQueueConfig config) {
        return createQueue(device, device.streamPriorityRange().least(), config);
    }

    /**
     * A queue over a new non-blocking stream of {@code device} at hardware priority
     * {@code streamPriority}; the queue owns the stream. Hardware priority works below the policy:
     * the device's block scheduler favours this stream's blocks over those of lower-priority
     * streams already running, which bounds a preemption by about one thread block where the
     * policy alone waits for the other queues' in-flight commands.
     *
     * @param device         the device to run on
     * @param streamPriority in {@link Device#streamPriorityRange()}; numerically lower is more
     *                       important (HIP and CUDA's convention, the opposite of {@link Hint.Priority})
     * @param config         threshold, batch size, cooperative yield and name
     * @return the open queue, suspended until the policy's first decision
     * @throws IllegalArgumentException if {@code streamPriority} is outside the device's range
     * @throws IllegalStateException    if the scheduler is closing or closed
     * @throws dev.xsched.hip.HipException if the stream cannot be created
     */
    public XQueue createQueue(Device device, int streamPriority, XQueueConfig config) {
        Stream stream = device.createStream(streamPriority);
        try {
            return add(stream, config, true);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /**
     * A queue over an existing stream; closing the queue leaves the stream open, and the caller
     * must keep it open until the queue is closed. Work the caller puts on the stream directly is
     * not ordered with what the queue still buffers.
     *
     * @param stream an open stream
     * @param config threshold, batch size, cooperative yield and name
     * @return the open queue, suspended until the policy's first decision
     * @throws IllegalStateException if the stream or the scheduler is closed
     */
    public XQueue wrap(Stream stream, XQueueConfig config) {
        Objects.requireNonNull(stream, "stream");
        if (!stream.isOpen()) {
            throw new IllegalStateException("stream is closed: " + stream);
        }
        return add(stream, config, false);
    }

    private XQueue add(Stream stream, XQueueConfig config, boolean ownsStream) {
        Objects.requireNonNull(config, "config");
        long id = queueIds.incrementAndGet();
        QueueCore core = new QueueCore(id, config, stream, clock, scheduling.listener());
        XQueue queue;
        try {
            // Held until the policy's first decision about it: otherwise a queue submitted to right
            // after creation could release a burst the policy never agreed to.
            core.setSuspended(true);
            if (!manual) {
                core.start(r -> {
                    Thread t = threadFactory.newThread(r);
                    if (t == null) {
                        throw new IllegalStateException("the thread factory of scheduler " + name
                                + " refused the completion thread of XQueue " + config.name());
                    }
                    t.setName(name + "-queue-" + id + "-completions");
                    return t;
                });
            }
            queue = new XQueue(this, core, ownsStream);
            synchronized (lifecycle) {
                // Under the lock close takes first: a queue added now is one close will see.
                if (lifecycle.closing) {
                    throw new IllegalStateException("scheduler " + name + " is closed");
                }
                entries.put(id, new QueueEntry(queue));
            }
        } catch (RuntimeException e) {
            // Registered last, so a queue refused here was never visible and nothing else will
            // close it: stop its completion thread and free what its core made (its events and
            // yield memory) now. The stream is the caller's to close.
            core.shutdown();
            throw e;
        }
        post(new SchedulerEvent.Changed(id));
        return queue;
    }

    /**
     * The queues not yet closed, in creation order.
     *
     * @return an immutable snapshot; queues created or closed later do not show in it
     */
    public List<XQueue> queues() {
        return entries.values().stream().map(e -> e.queue).sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    void hint(XQueue queue, Hint hint) {
        Objects.requireNonNull(hint, "hint");
        QueueEntry entry = entries.get(queue.id());
        if (entry == null || entry.queue != queue) {
            throw new IllegalArgumentException(queue + " does not belong to scheduler " + name);
        }
        entry.hints.put(hint.getClass(), hint);
        post(new SchedulerEvent.HintArrived(queue.id(), hint));
    }

    /**
     * Whether the caller's close of {@code queue} is the one that closes it. The id is claimed
     * first and the queue's presence checked after: {@link #remove} drops the entry before it
     * releases the id, so a close that claims the id once the first close released it finds no
     * entry. (Checked the other way round, a second close could see the entry, then claim the id
     * just released, and shut the queue down a second time: its yield memory's stream was found
     * closed, in {@code xsched stress} with gated queues.)
     */
    boolean beginClose(XQueue queue) {
        if (!closing.add(queue.id())) {
            return false; // another close is under way
        }
        if (entries.containsKey(queue.id())) {
            return true;
        }
        closing.remove(queue.id()); // closed already
        return false;
    }

    void remove(XQueue queue) {
        entries.remove(queue.id());
        closing.remove(queue.id());
        post(new SchedulerEvent.Removed(queue.id()));
    }

    // ---- policy --------------------------------------------------------------------------

    /**
     * Replaces the active policy; it receives the queues' current hints, then decides. Returns at
     * once: the switch happens on the scheduling thread at its next step (in manual mode, at the
     * next {@link #pump()}). The old policy is not told; it is simply no longer called. With a
     * scheduler server the local policy is unused and the switch has no effect on decisions.
     *
     * @param policy the new policy instance, owned by this scheduler from now on
     */
    public void setPolicy(Policy policy) {
        post(new SchedulerEvent.SwitchPolicy(Objects.requireNonNull(policy, "policy")));
    }

    /**
     * Replaces the active policy by an installed one, by name (as {@link #setPolicy(Policy)}).
     *
     * @param name the policy's name, for example {@code cfs}
     * @throws IllegalArgumentException if no installed policy has that name (nothing changes then)
     */
    public void setPolicy(String name) {
        setPolicy(Policies.create(name));
    }

    /**
     * The active policy's name; with a server, the server's description.
     *
     * @return for example {@code hpf}; right after {@link #setPolicy} possibly still the old one
     */
    public String policyName() {
        return scheduling.policyName();
    }

    /**
     * Whether a submission that turns a queue ready runs the policy's round on the submitting
     * thread: {@link Builder#decideOnSubmit} as set, or its default from the system property or
     * environment variable as read when the scheduler was built; false with {@link Builder#manual}.
     * A benchmark records it beside its figures, since the setting can come from the environment.
     *
     * @return the setting this scheduler runs with
     */
    public boolean decidesOnSubmit() {
        return scheduling.decidesOnSubmit();
    }

    /**
     * The name given to {@link Builder#name}, or the generated {@code xsched-<n>}.
     *
     * @return the scheduler's name
     */
    public String name() {
        return name;
    }

    /**
     * Scheduling decisions made so far: rounds in which the policy was asked and its answer applied.
     *
     * @return the count since the scheduler was built (readable from any thread)
     */
    public long decisionCount() {
        return runner.decisions();
    }

    /**
     * Times the policy threw so far (each time the scheduler failed open: every queue ran).
     *
     * @return the count since the scheduler was built (readable from any thread)
     */
    public long policyFailureCount() {
        return runner.failures();
    }

    // ---- synchronisation -----------------------------------------------------------------

    /**
     * Waits until every command submitted to any queue of {@code device} before this call,
     * buffered ones included, has completed, then synchronizes the device itself (so work of
     * streams outside this scheduler is waited for too). Blocks as long as the GPU takes, without
     * a timeout and uninterruptibly, like the queues' {@link XQueue#synchronize()}. The pending
     * waits of queues armed for the cross-process stop ({@link XQueue#armRemoteStop}) are let go
     * for the device's synchronization and armed again after it, as for every device-wide call
     * (a store by another process in between stops nothing; the server's suspend follows it as
     * before).
     *
     * @param device the device whose work to wait for
     * @throws dev.xsched.hip.HipException if a queue's command failed on the device or the device
     *         synchronization fails
     * @throws IllegalStateException if a queue failed otherwise, or dropped a command waited for
     */
    public void synchronize(Device device) {
        Objects.requireNonNull(device, "device");
        for (XQueue queue : queues()) {
            if (queue.device() == device) {
                queue.synchronize();
            }
        }
        // Armed queues' waits for their stop words step aside by themselves: each armed queue
        // listens to the device's device-wide calls (Device.onDeviceWideCalls).
        device.synchronize();
    }

    /**
     * Waits for {@code event}: if an XQueue holds its latest record in its buffer, first until the
     * record is released, then for the event itself. (A plain {@link Event#synchronize()} would
     * return at once for a record that has not reached the hardware yet.)
     *
     * @param event an event recorded by an XQueue of this scheduler, or by a plain stream
     * @throws dev.xsched.hip.HipException if the record's queue failed on the device, or the
     *         event's synchronization fails
     * @throws IllegalStateException if the record's queue failed otherwise or dropped the record
     */
    public void synchronize(Event event) {
        Command.ProducerRef producer = producerOf(event);
        if (producer != null) {
            awaitCompleted(producer.queue(), producer.seq());
        }
        event.synchronize();
    }

    void recordedBy(Event event, QueueCore core, long seq) {
        producers.put(event, new Command.ProducerRef(core, seq));
    }

    Command.ProducerRef producerOf(Event event) {
        return producers.get(event);
    }

    /**
     * Waits until every command of {@code core} up to {@code seq} completed; throws if one never
     * will. When the queue failed, the throw comes once the work it released before the failure
     * left its stream, so the caller may free what that work uses.
     */
    void awaitCompleted(QueueCore core, long seq) {
        awaitSettled(core, seq);
        if (manual) {
            // Manual mode never blocks on the device: it drives (the time advancer may be what
            // completes the work) and looks at the stream without waiting.
            driveUntil(() -> !core.releasedWorkLeftIfFailed());
        } else {
            core.awaitReleasedWorkIfFailed();
        }
        core.checkCompleted(seq);
    }

    /** Waits until {@code core}'s commands up to {@code seq} completed, or never will; does not throw for that. */
    void awaitSettled(QueueCore core, long seq) {
        if (manual) {
            driveUntil(() -> core.isSettled(seq));
        } else {
            core.awaitSettled(seq);
        }
    }

    boolean isManual() {
        return manual;
    }

    // ---- events and manual mode ---------------------------------------------------------

    private void post(SchedulerEvent event) {
        scheduling.post(event);
    }

    /**
     * Manual mode: observes completions, releases what may be released and runs the policy, until
     * nothing changes. Runs every queue's releases, completions and host callbacks on the calling
     * thread; never blocks on the device.
     *
     * @return whether anything happened
     * @throws IllegalStateException if the scheduler was not built with {@link Builder#manual}
     */
    public boolean pump() {
        if (!manual) {
            throw new IllegalStateException("pump() is for schedulers built with manual(...); this one has a thread");
        }
        boolean any = false;
        while (true) {
            boolean progress = false;
            for (QueueEntry entry : List.copyOf(entries.values())) {
                QueueCore core = entry.queue.core();
                progress |= core.pollCompletions();
                progress |= core.drain() > 0;
            }
            progress |= scheduling.step(null);
            if (!progress) {
                return any;
            }
            any = true;
        }
    }

    /**
     * Manual mode: pumps and advances time until {@code done} holds; what a blocking call does on
     * a manual scheduler.
     *
     * @param done checked after every pump, on the calling thread
     * @throws IllegalStateException if the scheduler is not manual, if it has no time advancer and
     *         {@code done} does not hold after a pump, or after 50 million steps without it
     */
    public void driveUntil(BooleanSupplier done) {
        for (long steps = 0; steps < MANUAL_STEP_LIMIT; steps++) {
            pump();
            if (done.getAsBoolean()) {
                return;
            }
            if (advanceTime == null) {
                throw new IllegalStateException("manual scheduler " + name + " would wait forever: no time advancer was given");
            }
            advanceTime.run();
        }
        throw new IllegalStateException("manual scheduler " + name + " made no progress in " + MANUAL_STEP_LIMIT + " steps");
    }

    /**
     * Closes every queue, draining it ({@link XQueue#close()}), then stops the scheduling thread.
     * The policy is replaced by pass-through first: a policy that holds a queue suspended would
     * otherwise keep the drain from ever finishing.
     *
     * <p>Close always releases every queue, stream and thread, even when a queue failed or its
     * close throws. It throws afterwards, once: a queue's failure only if no caller was told of it
     * yet (the first such error, with the others suppressed). Idempotent and thread-safe: a call
     * while another thread closes waits until that close has finished (uninterruptibly, like
     * {@link XQueue#close()}: an interrupt is kept for later) and throws nothing; queues cannot be
     * created from the moment close begins.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (lifecycle.closing) {
                awaitClosed();
                return;
            }
            lifecycle.closing = true;
        }
        RuntimeException error = null;
        try {
            PassThroughPolicy passThrough = new PassThroughPolicy();
            runner.replace(passThrough);
            post(new SchedulerEvent.SwitchPolicy(passThrough)); // the scheduling thread's next decision resumes all too
            if (decisionSource != null) {
                decisionSource.close(); // from now on it answers "everything runs"
            }
            scheduling.resumeAll();
            for (XQueue queue : queues()) {
                try {
                    queue.close();
                } catch (RuntimeException e) {
                    error = Failures.add(error, e);
                }
            }
        } finally {
            running = false;
            if (thread != null) {
                post(new SchedulerEvent.Wake());
                thread.interrupt();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (mbean != null) {
                mbean.unregister();
            }
            synchronized (lifecycle) {
                lifecycle.closed = true;
                lifecycle.notifyAll();
            }
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * Called holding the monitor of {@code lifecycle}: waits until the close under way has
     * finished. Returning early on an interrupt would let the caller go on (free what the queues
     * use, exit) while the scheduler still closes.
     */
    private void awaitClosed() {
        if (Thread.currentThread() == thread) {
            return; // the close under way waits for this very thread to end: waiting here would stall it
        }
        boolean interrupted = false;
        while (!lifecycle.closed) {
            try {
                lifecycle.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "XScheduler[" + name + ", policy " + policyName() + ", " + entries.size() + " queues]";
    }
}
