package dev.xsched.ipc.server;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policy;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The server's scheduling state, without any I/O: clients, their queues, one
 * {@link DeviceScheduler} per device UUID, and what each client must be told: decisions, and for
 * the cross-process stop which stop words each queue's turning ready advances ({@link RaiseLists},
 * under {@code hpf} only). Everything runs on one thread (the server's), so nothing here locks;
 * tests drive it directly on virtual time.
 */
public final class Coordinator {
    /**
     * The one policy under which queues raise each other's stop words: its decision about two
     * queues follows from their priorities alone ({@link RaiseLists} says why the others cannot).
     */
    static final String HPF = "hpf";

    /** Where decisions go: the server writes them to the client's connection. */
    @FunctionalInterface
    public interface Outbox {
        /**
         * Queues {@code message} for client {@code clientId}; called on the coordinator's thread,
         * so it must not block (the server buffers, and cuts off a client whose buffer is full).
         *
         * @param clientId the receiving client, as {@link #join} numbered it
         * @param message  a {@link Message.Decision} or a {@link Message.RaiseOnReady}
         */
        void send(long clientId, Message message);
    }

    private final SchedulerClock clock;
    private final BiFunction<String, Map<String, String>, Policy> policies;
    private final Outbox outbox;
    private final ServerLimits limits;
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private final Map<UUID, DeviceScheduler> devices = new LinkedHashMap<>();
    /** Devices whose queues changed since their policy last ran ({@link #receive}), in order of change. */
    private final Set<DeviceScheduler> pending = new LinkedHashSet<>();
    /** Devices whose stop words changed without a change of state: their lists, not their policy, are due. */
    private final Set<DeviceScheduler> listsDue = new LinkedHashSet<>();
    private String policyName;
    private Map<String, String> policyParameters = Map.of();
    private long nextClientId;
    private long nextQueueId;

    /**
     * A coordinator without clients. One policy instance is created now, to check the name.
     *
     * @param clock      the scheduler clock: ready times, wake-ups and held time
     * @param policy     the first policy's name
     * @param parameters its parameters, overriding properties and environment
     * @param policies   creates a fresh policy instance from a name and parameters (one per device),
     *                   normally {@code Policies::create}
     * @param outbox     receives every decision
     * @throws IllegalArgumentException for an unknown policy
     */
    public Coordinator(SchedulerClock clock, String policy, Map<String, String> parameters,
                       BiFunction<String, Map<String, String>, Policy> policies, Outbox outbox) {
        this(clock, policy, parameters, policies, outbox, ServerLimits.defaults());
    }

    /**
     * A coordinator without clients, whose clients may register at most
     * {@link ServerLimits#queuesPerClient()} queues each on at most {@link ServerLimits#devices()}
     * devices in all (the connection limits are the server's).
     *
     * @param clock      the scheduler clock
     * @param policy     the first policy's name
     * @param parameters its parameters
     * @param policies   creates a fresh policy instance from a name and parameters
     * @param outbox     receives every decision
     * @param limits     the bounds on queues and devices
     * @throws IllegalArgumentException for an unknown policy
     */
    public Coordinator(SchedulerClock clock, String policy, Map<String, String> parameters,
                       BiFunction<String, Map<String, String>, Policy> policies, Outbox outbox, ServerLimits limits) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.policyParameters = Map.copyOf(parameters);
        this.policyName = policies.apply(policy, policyParameters).name(); // fails early on an unknown name
    }

    /**
     * The policy every GPU runs.
     *
     * @return its name
     */
    public String policyName() {
        return policyName;
    }

    /**
     * Policy rounds so far, summed over the GPUs that have queues now (a GPU's count goes when its
     * last queue does).
     *
     * @return the count
     */
    public long decisions() {
        return devices.values().stream().mapToLong(d -> d.runner().decisions()).sum();
    }

    /**
     * Times a policy threw, summed like {@link #decisions()}.
     *
     * @return the count
     */
    public long policyFailures() {
        return devices.values().stream().mapToLong(d -> d.runner().failures()).sum();
    }

    /**
     * The queues of every client.
     *
     * @return their number
     */
    public int queueCount() {
        return clients.values().stream().mapToInt(c -> c.queues.size()).sum();
    }

    /**
     * A new connection said hello.
     *
     * @param hello its first message
     * @return its client id, from 1 up, never reused
     */
    public long join(Message.Hello hello) {
        long id = ++nextClientId;
        clients.put(id, new Client(id, hello.pid(), hello.process(), hello.role()));
        return id;
    }

    /**
     * A client is gone (closed, killed, or cut off for bad input): its queues are dropped at once
     * and the policy of every device they were on runs again, so nothing stays suspended for them.
     *
     * @param clientId the client, as {@link #join} numbered it; an unknown one is ignored
     * @return how many queues were dropped
     */
    public int leave(long clientId) {
        Client client = clients.remove(clientId);
        if (client == null) {
            return 0;
        }
        List<DeviceScheduler> touched = new ArrayList<>();
        for (ServerQueue queue : client.queues.values()) {
            DeviceScheduler device = devices.get(queue.device);
            device.raiseLists.raisedBy(queue); // a process that died may have stored and not said so
            device.remove(queue);
            if (!touched.contains(device)) {
                touched.add(device);
            }
        }
        long now = clock.nanoTime();
        touched.forEach(d -> decide(d, now));
        return client.queues.size();
    }

    /**
     * A message from a scheduling client: a queue's registration, state, hint, wait or counters.
     * Every change of state runs the policy of the queue's GPU, and its decisions go to the
     * {@link Outbox} before this returns ({@link #receive} then {@link #decidePending}).
     *
     * @param clientId the sending client
     * @param message  what it sent
     * @throws ProtocolException for a queue id the client never registered (or registers twice), a
     *                           message this client may not send, or a queue beyond the
     *                           {@linkplain ServerLimits limits} on queues and devices
     */
    public void handle(long clientId, Message message) throws ProtocolException {
        try {
            receive(clientId, message);
        } finally {
            decidePending();
        }
    }

    /**
     * Takes a message as {@link #handle} does, but leaves the policy of the queue's GPU to the next
     * {@link #decidePending}: the server takes every frame that one wake-up brought, then decides
     * once per GPU, as the in-process scheduler handles every pending event before its policy
     * runs. A queue that went idle and ready again between two of the server's wake-ups (a
     * high-priority queue flapping between the kernels of one request) then neither resumes nor
     * re-suspends anything.
     *
     * @param clientId the sending client
     * @param message  what it sent
     * @throws ProtocolException as {@link #handle}; what was taken before stays pending
     */
    public void receive(long clientId, Message message) throws ProtocolException {
        Client client = clients.get(clientId);
        if (client == null) {
            throw new ProtocolException("no hello yet");
        }
        long now = clock.nanoTime();
        switch (message) {
            case Message.QueueCreated m -> {
                requireScheduling(client);
                if (client.queues.containsKey(m.queueId())) {
                    throw new ProtocolException("queue id " + m.queueId() + " registered twice");
                }
                checkLimits(client, m.device());
                DeviceScheduler device = devices.computeIfAbsent(m.device(),
                        uuid -> new DeviceScheduler(uuid, devices.size(), policies.apply(policyName, policyParameters)));
                ServerQueue queue = new ServerQueue(++nextQueueId, client, m.queueId(), m.name(), m.device(), now);
                client.queues.put(m.queueId(), queue);
                device.add(queue);
                pending.add(device);
            }
            case Message.QueueReady m -> change(client, m.queueId(), q -> {
                q.ready = true;
                q.readySince = now;
                // Its client advanced these words before its first kernel: the round must answer for them.
                devices.get(q.device).raiseLists.raisedBy(q);
            });
            case Message.QueueIdle m -> change(client, m.queueId(), q -> {
                q.ready = false;
                q.readySince = -1;
            });
            case Message.QueueClosed m -> {
                ServerQueue queue = queue(client, m.queueId());
                client.queues.remove(m.queueId());
                DeviceScheduler device = devices.get(queue.device);
                device.raiseLists.raisedBy(queue); // it may have turned ready, stored and closed before its next report
                device.remove(queue);
                pending.add(device);
            }
            case Message.HintSet m -> {
                ServerQueue queue = queue(client, m.queueId());
                DeviceScheduler device = devices.get(queue.device);
                device.hint(queue, m.hint(), now);
                pending.add(device);
            }
            case Message.BlockedOn m -> {
                ServerQueue producer = m.producerId() < 0 ? null : client.queues.get(m.producerId());
                // A producer closed just before its waiter's message arrived is not an error: the
                // waiter no longer waits on anything the server knows.
                change(client, m.queueId(), q -> {
                    long was = q.producer;
                    q.producer = producer != null && producer.device.equals(q.device) ? producer.id : -1;
                    if (q.producer != was) {
                        devices.get(q.device).raiseLists.invalidate(); // lending moves effective priorities
                    }
                });
            }
            case Message.StopWordSet m -> {
                ServerQueue queue = queue(client, m.queueId());
                queue.stopWord = m.word();
                DeviceScheduler device = devices.get(queue.device);
                device.raiseLists.invalidate();
                listsDue.add(device);
            }
            case Message.QueueCounters m -> {
                ServerQueue queue = queue(client, m.queueId());
                queue.submitted = m.submitted();
                queue.completed = m.completed();
            }
            default -> throw new ProtocolException("unexpected message " + message.getClass().getSimpleName());
        }
    }

    /** Every queue costs memory for good and time in each policy round: a client may not add them without bound. */
    private void checkLimits(Client client, UUID device) throws ProtocolException {
        if (client.queues.size() >= limits.queuesPerClient()) {
            throw new ProtocolException("more than " + limits.queuesPerClient() + " queues in one client");
        }
        if (!devices.containsKey(device) && devices.size() >= limits.devices()) {
            throw new ProtocolException("a queue on device " + device + " would make more than " + limits.devices()
                    + " devices");
        }
    }

    private interface Change {
        void apply(ServerQueue queue);
    }

    private void change(Client client, long queueId, Change change) throws ProtocolException {
        ServerQueue queue = queue(client, queueId);
        long now = clock.nanoTime();
        queue.account(now);
        change.apply(queue);
        queue.account(now);
        pending.add(devices.get(queue.device));
    }

    /**
     * Runs the policy of every GPU whose queues changed since it last ran ({@link #receive}), once
     * each; their decisions, and the stop-word lists that changed, go to the {@link Outbox} before
     * this returns.
     */
    public void decidePending() {
        if (!pending.isEmpty()) {
            long now = clock.nanoTime();
            List<DeviceScheduler> due = List.copyOf(pending);
            pending.clear();
            for (DeviceScheduler device : due) {
                if (devices.get(device.device) == device) { // else dropped meanwhile with its last queue
                    decide(device, now);
                }
            }
        }
        if (!listsDue.isEmpty()) {
            List<DeviceScheduler> due = List.copyOf(listsDue);
            listsDue.clear();
            for (DeviceScheduler device : due) {
                if (devices.get(device.device) == device) {
                    sendRaiseLists(device);
                }
            }
        }
    }

    private static ServerQueue queue(Client client, long queueId) throws ProtocolException {
        requireScheduling(client);
        ServerQueue queue = client.queues.get(queueId);
        if (queue == null) {
            throw new ProtocolException("unknown queue id " + queueId);
        }
        return queue;
    }

    private static void requireScheduling(Client client) throws ProtocolException {
        if (client.role != Message.Role.SCHEDULING) {
            throw new ProtocolException("a control connection has no queues");
        }
    }

    private void decide(DeviceScheduler device, long now) {
        Map<Long, List<Message.QueueDecision>> byClient = new LinkedHashMap<>();
        List<ServerQueue> changed = device.decide(now);
        for (ServerQueue q : changed) {
            byClient.computeIfAbsent(q.client.id, k -> new ArrayList<>()).add(new Message.QueueDecision(q.localId, q.suspended));
        }
        // A queue that another process's store stopped holds its releases until it hears about
        // itself: one the round left running is told so, though its state did not change (one it
        // suspends is told by the suspend, sent above or, if it was suspended before, by the resume
        // that ends that suspension).
        Set<ServerQueue> told = new HashSet<>(changed);
        for (long id : device.raiseLists.takeMayHaveStopped()) {
            ServerQueue q = device.queue(id);
            if (q != null && q.decided && !q.suspended && told.add(q)) {
                byClient.computeIfAbsent(q.client.id, k -> new ArrayList<>()).add(new Message.QueueDecision(q.localId, false));
            }
        }
        // One frame carries at most MAX_LIST_ITEMS decisions: a client with more changed queues gets several.
        byClient.forEach((client, decisions) -> {
            for (int from = 0; from < decisions.size(); from += FrameCodec.MAX_LIST_ITEMS) {
                int to = Math.min(decisions.size(), from + FrameCodec.MAX_LIST_ITEMS);
                outbox.send(client, new Message.Decision(List.copyOf(decisions.subList(from, to))));
            }
        });
        sendRaiseLists(device);
        if (device.isEmpty()) {
            devices.remove(device.device);
            pending.remove(device);
            listsDue.remove(device);
        }
    }

    /** Tells the clients whose queues' stop-word lists changed (only those: one frame per change). */
    private void sendRaiseLists(DeviceScheduler device) {
        for (ServerQueue q : device.raiseLists.refresh(device.queues(), HPF.equals(policyName))) {
            outbox.send(q.client.id, new Message.RaiseOnReady(q.localId, q.raisesSent));
        }
    }

    // ---- timers ----------------------------------------------------------------------------

    /**
     * The earliest policy wake-up over every GPU: when to call {@link #runDue()}.
     *
     * @return a time on the scheduler clock in nanoseconds, or {@code Long.MAX_VALUE} for none
     */
    public long nextWakeUp() {
        return devices.values().stream().mapToLong(DeviceScheduler::nextWakeUp).min().orElse(Long.MAX_VALUE);
    }

    /** Runs the policy of every device whose wake-up is due. */
    public void runDue() {
        long now = clock.nanoTime();
        for (DeviceScheduler device : List.copyOf(devices.values())) {
            if (device.takeDue(now)) {
                decide(device, now);
            }
        }
    }

    // ---- control ---------------------------------------------------------------------------

    /**
     * Switches every device to a new instance of policy {@code name}; each receives its queues'
     * hints and decides at once. GPUs that get their first queue later use it too.
     *
     * @param name       an installed policy's name
     * @param parameters its parameters, overriding properties and environment
     * @throws IllegalArgumentException for an unknown policy or bad parameters
     * @throws RuntimeException          whatever else the policy's factory throws; either way
     *                                   nothing changes, since every instance is created before
     *                                   any device switches
     */
    public void setPolicy(String name, Map<String, String> parameters) {
        List<DeviceScheduler> targets = List.copyOf(devices.values());
        Policy probe = policies.apply(name, parameters);
        List<Policy> fresh = new ArrayList<>(List.of(probe));
        while (fresh.size() < targets.size()) {
            fresh.add(policies.apply(name, parameters));
        }
        this.policyName = probe.name();
        this.policyParameters = Map.copyOf(parameters);
        long now = clock.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).switchTo(fresh.get(i), now);
            decide(targets.get(i), now);
        }
    }

    /**
     * A hint for the queue {@code queue} (its name, or its client-local id) of process {@code pid}.
     * Every match receives it and its GPU's policy decides again.
     *
     * @param pid   the process id its hello reported
     * @param queue the queue's name or its id in decimal
     * @param hint  the hint
     * @return how many queues received it
     * @throws IllegalArgumentException when no queue matches
     */
    public int remoteHint(long pid, String queue, Hint hint) {
        List<ServerQueue> matches = new ArrayList<>();
        for (Client client : clients.values()) {
            if (client.pid != pid) {
                continue;
            }
            for (ServerQueue q : client.queues.values()) {
                if (q.name.equals(queue) || Long.toString(q.localId).equals(queue)) {
                    matches.add(q);
                }
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no queue '" + queue + "' in process " + pid);
        }
        long now = clock.nanoTime();
        for (ServerQueue q : matches) {
            DeviceScheduler device = devices.get(q.device);
            device.hint(q, hint, now);
            decide(device, now);
        }
        return matches.size();
    }

    /**
     * A snapshot of every queue for {@code xsched top}, the server's CPU times left at -1 (the
     * server adds them).
     *
     * @return the snapshot, rows sorted by GPU, process id and queue id, not yet cut to one frame
     */
    public Message.Status status() {
        long now = clock.nanoTime();
        List<Message.QueueRow> rows = new ArrayList<>();
        for (Client client : clients.values()) {
            for (ServerQueue q : client.queues.values()) {
                String hints = q.hints.values().stream().map(Coordinator::describe).collect(Collectors.joining(" "));
                rows.add(new Message.QueueRow(client.pid, client.process, q.localId, q.name, q.device, q.ready, q.suspended,
                        hints, q.submitted, q.completed, q.heldNanos(now), now - q.createdAt));
            }
        }
        rows.sort(Comparator.comparing(Message.QueueRow::device).thenComparingLong(Message.QueueRow::pid)
                .thenComparingLong(Message.QueueRow::queueId));
        return new Message.Status(now, policyName, -1, -1, rows);
    }

    /**
     * Whether queue {@code queueId} of client {@code clientId} is suspended now (for tests and tools).
     *
     * @param clientId the client, as {@link #join} numbered it
     * @param queueId  the queue's id in that client
     * @return the server's latest decision about it
     * @throws IllegalArgumentException if there is no such queue
     */
    public boolean isSuspended(long clientId, long queueId) {
        Client client = clients.get(clientId);
        ServerQueue q = client == null ? null : client.queues.get(queueId);
        if (q == null) {
            throw new IllegalArgumentException("no queue " + queueId + " of client " + clientId);
        }
        return q.suspended;
    }

    /**
     * The stop words queue {@code queueId} of client {@code clientId} was last told to advance on
     * turning ready (for tests and tools).
     *
     * @param clientId the client, as {@link #join} numbered it
     * @param queueId  the queue's id in that client
     * @return the list as last sent, empty before any
     * @throws IllegalArgumentException if there is no such queue
     */
    public List<Message.StopWordRef> raiseList(long clientId, long queueId) {
        Client client = clients.get(clientId);
        ServerQueue q = client == null ? null : client.queues.get(queueId);
        if (q == null) {
            throw new IllegalArgumentException("no queue " + queueId + " of client " + clientId);
        }
        return q.raisesSent;
    }

    private static String describe(Hint hint) {
        return switch (hint) {
            case Hint.Priority p -> "prio=" + p.value();
            case Hint.Utilization u -> "util=" + u.percent() + "%";
            case Hint.Weight w -> "weight=" + w.value();
            case Hint.Deadline d -> "deadline=" + d.nanos() / 1000 + "us";
            case Hint.Timeslice t -> "slice=" + t.nanos() / 1000 + "us";
            case Hint.Laxity l -> "lax=" + l.laxityNanos() / 1000 + "us";
            case Hint.AbsoluteDeadline a -> "due@" + a.atNanos();
            default -> hint.toString();
        };
    }
}
