package dev.xsched.ipc.server;

import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.Policies;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.ipc.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's scheduling state without sockets, on a manual clock. */
class CoordinatorTest {
    static final UUID GPU0 = UUID.nameUUIDFromBytes("gpu0".getBytes());
    static final UUID GPU1 = UUID.nameUUIDFromBytes("gpu1".getBytes());

    final AtomicLong clock = new AtomicLong(1_000);
    final List<String> sent = new ArrayList<>();
    /** What went out, as objects: one entry per message. */
    final List<Sent> messages = new ArrayList<>();
    final Coordinator coordinator = new Coordinator(clock::get, "hpf", Map.of(), Policies::create, (client, message) -> {
        sent.add(client + " " + message);
        messages.add(new Sent(client, message));
    });

    record Sent(long client, Message message) {
    }

    long client(String name) {
        return coordinator.join(new Message.Hello(name.hashCode() & 0xffff, name, Message.Role.SCHEDULING));
    }

    void queue(long client, long id, UUID gpu, int priority) throws ProtocolException {
        coordinator.handle(client, new Message.QueueCreated(id, "q" + id, gpu, 16, 8));
        coordinator.handle(client, new Message.HintSet(id, new Hint.Priority(priority)));
    }

    /** The clients "online" and "batch", each with queue 1 on GPU0, of priority 10 and -10. */
    record OnlineAndBatch(long online, long batch) {
    }

    OnlineAndBatch onlineAndBatchOnGpu0() throws ProtocolException {
        long online = client("online");
        long batch = client("batch");
        queue(online, 1, GPU0, 10);
        queue(batch, 1, GPU0, -10);
        return new OnlineAndBatch(online, batch);
    }

    /** {@link #onlineAndBatchOnGpu0()} with a stop word on each queue and the batch queue ready. */
    private OnlineAndBatch bothArmedWithTheBatchReady() throws ProtocolException {
        OnlineAndBatch clients = onlineAndBatchOnGpu0();
        stopWord(clients.online(), 1);
        stopWord(clients.batch(), 1);
        coordinator.handle(clients.batch(), new Message.QueueReady(1, 0));
        return clients;
    }

    /** The stop word a test gives queue {@code queue} of client {@code client}. */
    static Message.StopWordRef word(long client, long queue) {
        return new Message.StopWordRef("/dev/shm/xsched-1000-" + client + "-stop", 4 * queue);
    }

    void stopWord(long client, long queue) throws ProtocolException {
        Message.StopWordRef w = word(client, queue);
        coordinator.handle(client, new Message.StopWordSet(queue, w.path(), w.offset()));
    }

    /** The lists client {@code client} was sent, in order. */
    List<Message.RaiseOnReady> listsSentTo(long client) {
        return messages.stream().filter(m -> m.client() == client && m.message() instanceof Message.RaiseOnReady)
                .map(m -> (Message.RaiseOnReady) m.message()).toList();
    }

    /** The decisions client {@code client} was sent, frames flattened. */
    List<Message.QueueDecision> decisionsTo(long client) {
        return messages.stream().filter(m -> m.client() == client && m.message() instanceof Message.Decision)
                .flatMap(m -> ((Message.Decision) m.message()).queues().stream()).toList();
    }

    @Test
    void hpfAcrossClientsSuspendsTheLowPriorityQueueWhileTheOtherHasWork() throws ProtocolException {
        OnlineAndBatch clients = onlineAndBatchOnGpu0();
        long online = clients.online();
        long batch = clients.batch();
        coordinator.handle(batch, new Message.QueueReady(1, 0));
        assertThat(coordinator.isSuspended(batch, 1)).isFalse();

        sent.clear();
        coordinator.handle(online, new Message.QueueReady(1, 0));
        assertThat(coordinator.isSuspended(online, 1)).isFalse();
        assertThat(coordinator.isSuspended(batch, 1)).isTrue();
        assertThat(sent).containsExactly(batch + " Decision[queues=[QueueDecision[queueId=1, suspended=true]]]");

        sent.clear();
        coordinator.handle(online, new Message.QueueIdle(1, 0));
        assertThat(coordinator.isSuspended(batch, 1)).isFalse();
        assertThat(sent).containsExactly(batch + " Decision[queues=[QueueDecision[queueId=1, suspended=false]]]");
    }

    @Test
    void framesTakenTogetherRunThePolicyOncePerGpuSoThatAFlapOfTheHighPriorityQueueMovesNothing() throws ProtocolException {
        OnlineAndBatch clients = onlineAndBatchOnGpu0();
        long online = clients.online();
        long batch = clients.batch();
        coordinator.handle(batch, new Message.QueueReady(1, 0));
        coordinator.handle(online, new Message.QueueReady(1, 0));
        assertThat(coordinator.isSuspended(batch, 1)).isTrue();
        long rounds = coordinator.decisions();

        sent.clear();
        // Idle and ready again between two wake-ups of the server: the batch queue stays suspended.
        coordinator.receive(online, new Message.QueueIdle(1, 0));
        coordinator.receive(online, new Message.QueueReady(1, 0));
        assertThat(sent).as("nothing decided before decidePending").isEmpty();
        coordinator.decidePending();
        assertThat(sent).isEmpty();
        assertThat(coordinator.isSuspended(batch, 1)).isTrue();
        assertThat(coordinator.decisions()).as("one round for both frames").isEqualTo(rounds + 1);

        // The same frames taken one wake-up each resume the batch queue and suspend it again.
        coordinator.handle(online, new Message.QueueIdle(1, 0));
        coordinator.handle(online, new Message.QueueReady(1, 0));
        assertThat(sent).containsExactly(batch + " Decision[queues=[QueueDecision[queueId=1, suspended=false]]]",
                batch + " Decision[queues=[QueueDecision[queueId=1, suspended=true]]]");
    }

    @Test
    void aQueueCreatedAndClosedBetweenTwoDecisionsLeavesNoGpuBehind() throws ProtocolException {
        long a = client("a");
        coordinator.receive(a, new Message.QueueCreated(1, "q1", GPU1, 16, 8));
        coordinator.receive(a, new Message.QueueClosed(1));
        coordinator.decidePending();
        assertThat(sent).as("a queue closed before any decision is told nothing").isEmpty();
        assertThat(coordinator.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
        queue(a, 2, GPU1, 0);
        assertThat(sent).containsExactly(a + " Decision[queues=[QueueDecision[queueId=2, suspended=false]]]");
    }

    @Test
    void devicesAreMatchedByUuidAndScheduledApart() throws ProtocolException {
        long a = client("a");
        long b = client("b");
        queue(a, 1, GPU0, 10);
        queue(b, 1, GPU1, -10);
        coordinator.handle(a, new Message.QueueReady(1, 0));
        coordinator.handle(b, new Message.QueueReady(1, 0));
        assertThat(coordinator.isSuspended(b, 1)).as("another GPU is not held back").isFalse();
    }

    @Test
    void aDeadClientsQueuesAreDroppedAndTheOthersResume() throws ProtocolException {
        OnlineAndBatch clients = onlineAndBatchOnGpu0();
        long online = clients.online();
        long batch = clients.batch();
        coordinator.handle(online, new Message.QueueReady(1, 0));
        coordinator.handle(batch, new Message.QueueReady(1, 0));
        assertThat(coordinator.isSuspended(batch, 1)).isTrue();

        sent.clear();
        assertThat(coordinator.leave(online)).isEqualTo(1);
        assertThat(coordinator.isSuspended(batch, 1)).isFalse();
        assertThat(sent).containsExactly(batch + " Decision[queues=[QueueDecision[queueId=1, suspended=false]]]");
        assertThat(coordinator.status().queues()).extracting(Message.QueueRow::process).containsExactly("batch");
    }

    @Test
    void badReferencesAreProtocolErrors() throws ProtocolException {
        long a = client("a");
        assertThatThrownBy(() -> coordinator.handle(a, new Message.QueueReady(9, 0))).hasMessage("unknown queue id 9");
        queue(a, 1, GPU0, 0);
        assertThatThrownBy(() -> coordinator.handle(a, new Message.QueueCreated(1, "again", GPU0, 1, 1)))
                .hasMessage("queue id 1 registered twice");
        long tool = coordinator.join(new Message.Hello(1, "top", Message.Role.CONTROL));
        assertThatThrownBy(() -> coordinator.handle(tool, new Message.QueueCreated(1, "x", GPU0, 1, 1)))
                .hasMessage("a control connection has no queues");
        // A producer the server does not know (closed meanwhile) is not an error.
        coordinator.handle(a, new Message.BlockedOn(1, 77));
    }

    @Test
    void aPolicySwitchAndARemoteHintTakeEffectAtOnce() throws ProtocolException {
        long a = client("a");
        long b = client("b");
        queue(a, 1, GPU0, 0);
        queue(b, 1, GPU0, 0);
        coordinator.handle(a, new Message.QueueReady(1, 0));
        coordinator.handle(b, new Message.QueueReady(1, 0));
        assertThat(coordinator.isSuspended(b, 1)).as("equal priorities run together").isFalse();

        int pidOfB = "b".hashCode() & 0xffff;
        assertThat(coordinator.remoteHint(pidOfB, "q1", new Hint.Priority(-5))).isEqualTo(1);
        assertThat(coordinator.isSuspended(b, 1)).isTrue();
        assertThatThrownBy(() -> coordinator.remoteHint(pidOfB, "nope", new Hint.Priority(1))).hasMessageContaining("no queue 'nope'");

        coordinator.setPolicy("fifo", Map.of());
        assertThat(coordinator.policyName()).isEqualTo("fifo");
        assertThatThrownBy(() -> coordinator.setPolicy("nonsense", Map.of())).hasMessageContaining("unknown policy");
        assertThat(coordinator.policyName()).isEqualTo("fifo");
    }

    @Test
    void heldTimeIsTheTimeReadyAndRunning() throws ProtocolException {
        long a = client("a");
        queue(a, 1, GPU0, 0);
        coordinator.handle(a, new Message.QueueReady(1, 0));
        clock.addAndGet(500);
        coordinator.handle(a, new Message.QueueIdle(1, 0));
        clock.addAndGet(500);
        assertThat(coordinator.status().queues().getFirst().heldNanos()).isEqualTo(500);
        assertThat(coordinator.status().queues().getFirst().ageNanos()).isEqualTo(1000);
    }

    @Test
    void decisionsForMoreQueuesThanOneFrameHoldsGoInSeveralFrames() throws ProtocolException {
        List<Message> toBatch = new ArrayList<>();
        Coordinator many = new Coordinator(clock::get, "hpf", Map.of(), Policies::create, (client, message) -> {
            if (client == 1) {
                toBatch.add(message);
            }
        });
        long batch = many.join(new Message.Hello(1, "batch", Message.Role.SCHEDULING));
        long online = many.join(new Message.Hello(2, "online", Message.Role.SCHEDULING));
        int queues = FrameCodec.MAX_LIST_ITEMS + 1;
        for (int id = 1; id <= queues; id++) {
            many.receive(batch, new Message.QueueCreated(id, "q" + id, GPU0, 16, 8));
            many.receive(batch, new Message.QueueReady(id, 0));
        }
        many.receive(online, new Message.QueueCreated(1, "online", GPU0, 16, 8));
        many.receive(online, new Message.HintSet(1, new Hint.Priority(10)));
        many.decidePending();
        toBatch.clear();

        many.handle(online, new Message.QueueReady(1, 0)); // suspends all of them in one round
        assertThat(toBatch).hasSize(2).allSatisfy(m -> assertThat(FrameCodec.encode(m).remaining()).isPositive());
        assertThat(toBatch.stream().flatMap(m -> ((Message.Decision) m).queues().stream()))
                .hasSize(queues).allMatch(Message.QueueDecision::suspended);
    }

    @Test
    void aPolicyFactoryThatFailsForOneDeviceLeavesTheOldPolicyEverywhere() throws ProtocolException {
        int[] made = {0};
        Coordinator flaky = new Coordinator(clock::get, "hpf", Map.of(), (name, parameters) -> {
            if (name.equals("fifo") && ++made[0] == 2) {
                throw new IllegalStateException("no second instance");
            }
            return Policies.create(name, parameters);
        }, (client, message) -> sent.add(client + " " + message));
        long a = flaky.join(new Message.Hello(1, "a", Message.Role.SCHEDULING));
        flaky.handle(a, new Message.QueueCreated(1, "q1", GPU0, 16, 8));
        flaky.handle(a, new Message.QueueCreated(2, "q2", GPU1, 16, 8));
        sent.clear();

        assertThatThrownBy(() -> flaky.setPolicy("fifo", Map.of())).hasMessage("no second instance");
        assertThat(flaky.policyName()).isEqualTo("hpf");
        assertThat(sent).as("no device switched, so none decided").isEmpty();
    }

    @Test
    void queuesAndDevicesBeyondTheLimitsAreProtocolErrors() throws ProtocolException {
        Coordinator bounded = new Coordinator(clock::get, "hpf", Map.of(), Policies::create, (client, message) -> {
        }, new ServerLimits(8, java.time.Duration.ofSeconds(1), 2, 1));
        long a = bounded.join(new Message.Hello(1, "a", Message.Role.SCHEDULING));
        long b = bounded.join(new Message.Hello(2, "b", Message.Role.SCHEDULING));
        bounded.handle(a, new Message.QueueCreated(1, "q1", GPU0, 16, 8));
        bounded.handle(a, new Message.QueueCreated(2, "q2", GPU0, 16, 8));
        assertThatThrownBy(() -> bounded.handle(a, new Message.QueueCreated(3, "q3", GPU0, 16, 8)))
                .hasMessage("more than 2 queues in one client");
        assertThatThrownBy(() -> bounded.handle(b, new Message.QueueCreated(1, "q1", GPU1, 16, 8)))
                .hasMessage("a queue on device " + GPU1 + " would make more than 1 devices");
        bounded.handle(b, new Message.QueueCreated(1, "q1", GPU0, 16, 8)); // a known device is fine
        assertThat(bounded.queueCount()).isEqualTo(3);
    }

    // ---- the cross-process stop ------------------------------------------------------------

    @Test
    void underHpfAQueueStoresIntoTheWordsOfOtherClientsQueuesOfLowerPriorityOnItsDevice() throws ProtocolException {
        long online = client("online");
        long batch = client("batch");
        long other = client("other");
        queue(online, 1, GPU0, 10);
        queue(online, 2, GPU0, -20); // lower, but the same process: its own decisions reach it in one hop
        queue(batch, 1, GPU0, -10);
        queue(batch, 2, GPU0, -10); // no stop word: nothing to store into
        queue(other, 1, GPU0, 10); // equal: runs together with online's queue 1
        queue(other, 2, GPU1, -30); // another device is scheduled apart
        for (long[] q : new long[][] {{online, 1}, {online, 2}, {batch, 1}, {other, 1}, {other, 2}}) {
            stopWord(q[0], q[1]);
        }

        assertThat(coordinator.raiseList(online, 1)).containsExactly(word(batch, 1));
        assertThat(coordinator.raiseList(online, 2)).isEmpty();
        assertThat(coordinator.raiseList(batch, 1)).containsExactly(word(online, 2));
        assertThat(coordinator.raiseList(batch, 2)).containsExactly(word(online, 2));
        assertThat(coordinator.raiseList(other, 1)).containsExactly(word(online, 2), word(batch, 1));
        assertThat(coordinator.raiseList(other, 2)).isEmpty();
        // Each client was told each change of its queues' lists, the latest being the list now; a
        // queue whose list never had a word was told nothing.
        for (long client : new long[] {online, batch, other}) {
            Map<Long, Message.RaiseOnReady> latest = new java.util.HashMap<>();
            listsSentTo(client).forEach(r -> latest.put(r.queueId(), r));
            latest.forEach((queue, r) -> assertThat(r.words()).isEqualTo(coordinator.raiseList(client, queue)));
        }
        assertThat(listsSentTo(online)).extracting(Message.RaiseOnReady::queueId).containsOnly(1L);
        assertThat(listsSentTo(other)).extracting(Message.RaiseOnReady::queueId).containsOnly(1L);
        assertThatThrownBy(() -> coordinator.raiseList(online, 9)).hasMessage("no queue 9 of client " + online);
    }

    @Test
    void aQueueRankedUpByAWaiterOfItsOwnProcessIsNotStoredInto() throws ProtocolException {
        long online = client("online");
        long batch = client("batch");
        queue(online, 1, GPU0, 10);
        queue(batch, 1, GPU0, -50);
        queue(batch, 2, GPU0, 20);
        stopWord(batch, 1);
        assertThat(coordinator.raiseList(online, 1)).containsExactly(word(batch, 1));

        messages.clear();
        // Queue 2 waits on queue 1's event: HPF ranks queue 1 at 20, so online's readiness does not suspend it.
        coordinator.handle(batch, new Message.BlockedOn(2, 1));
        assertThat(coordinator.raiseList(online, 1)).isEmpty();
        assertThat(listsSentTo(online)).containsExactly(new Message.RaiseOnReady(1, List.of()));

        coordinator.handle(batch, new Message.BlockedOn(2, -1));
        assertThat(coordinator.raiseList(online, 1)).containsExactly(word(batch, 1));
    }

    @Test
    void listsFollowHintsAndAnotherPolicyEmptiesThemTellingOnlyTheClientsWhoseListsChanged() throws ProtocolException {
        OnlineAndBatch clients = onlineAndBatchOnGpu0();
        long online = clients.online();
        long batch = clients.batch();
        stopWord(online, 1);
        stopWord(batch, 1);
        assertThat(coordinator.raiseList(online, 1)).containsExactly(word(batch, 1));
        assertThat(coordinator.raiseList(batch, 1)).isEmpty();

        messages.clear();
        coordinator.handle(batch, new Message.HintSet(1, new Hint.Priority(20)));
        assertThat(listsSentTo(online)).containsExactly(new Message.RaiseOnReady(1, List.of()));
        assertThat(listsSentTo(batch)).containsExactly(new Message.RaiseOnReady(1, List.of(word(online, 1))));

        messages.clear();
        int pidOfBatch = "batch".hashCode() & 0xffff;
        coordinator.remoteHint(pidOfBatch, "q1", new Hint.Priority(-10)); // xsched hint: the same, from a tool
        assertThat(listsSentTo(online)).containsExactly(new Message.RaiseOnReady(1, List.of(word(batch, 1))));
        assertThat(listsSentTo(batch)).containsExactly(new Message.RaiseOnReady(1, List.of()));

        messages.clear();
        coordinator.setPolicy("fifo", Map.of());
        assertThat(coordinator.raiseList(online, 1)).isEmpty();
        assertThat(listsSentTo(online)).containsExactly(new Message.RaiseOnReady(1, List.of()));
        assertThat(listsSentTo(batch)).as("its list was empty already").isEmpty();
        coordinator.handle(online, new Message.QueueReady(1, 0));
        coordinator.handle(batch, new Message.HintSet(1, new Hint.Priority(-20)));
        assertThat(listsSentTo(online)).as("under fifo nothing is stored into, whatever the priorities").hasSize(1);

        messages.clear();
        coordinator.setPolicy("hpf", Map.of());
        assertThat(listsSentTo(online)).containsExactly(new Message.RaiseOnReady(1, List.of(word(batch, 1))));
    }

    @Test
    void aReadyWhoseListWasNotEmptyGetsEveryListedQueueTheRoundLeavesRunningAnExplicitRun() throws ProtocolException {
        OnlineAndBatch clients = bothArmedWithTheBatchReady();
        long online = clients.online();
        long batch = clients.batch();
        assertThat(coordinator.isSuspended(batch, 1)).isFalse();

        messages.clear();
        // The online queue turned ready (storing into the batch queue's word) and idle again within
        // one wake-up: the round leaves the batch queue running, which must hear so to go on.
        coordinator.receive(online, new Message.QueueReady(1, 0));
        coordinator.receive(online, new Message.QueueIdle(1, 0));
        coordinator.decidePending();
        assertThat(coordinator.isSuspended(batch, 1)).isFalse();
        assertThat(decisionsTo(batch)).containsExactly(new Message.QueueDecision(1, false));
        assertThat(messages).as("one frame, to the batch client only").hasSize(1);

        messages.clear();
        // A round that suspends it tells it by the suspend alone; the resume is a change as usual.
        coordinator.handle(online, new Message.QueueReady(1, 0));
        assertThat(decisionsTo(batch)).containsExactly(new Message.QueueDecision(1, true));
        // Ready again while ready (a store the client reported late): the batch queue stays
        // suspended, which the suspend already told it.
        coordinator.handle(online, new Message.QueueReady(1, 0));
        assertThat(decisionsTo(batch)).containsExactly(new Message.QueueDecision(1, true));
        coordinator.handle(online, new Message.QueueIdle(1, 0));
        assertThat(decisionsTo(batch)).containsExactly(new Message.QueueDecision(1, true), new Message.QueueDecision(1, false));
        assertThat(decisionsTo(online)).isEmpty();
    }

    @Test
    void aReadyWhoseListIsEmptyAddsNoDecision() throws ProtocolException {
        OnlineAndBatch clients = onlineAndBatchOnGpu0();
        long online = clients.online();
        long batch = clients.batch();
        stopWord(online, 1);
        stopWord(batch, 1);
        assertThat(coordinator.raiseList(batch, 1)).isEmpty();

        sent.clear();
        // The batch queue's list is empty (nothing ranks below it): its ready and idle tell nobody anything.
        coordinator.receive(batch, new Message.QueueReady(1, 0));
        coordinator.receive(batch, new Message.QueueIdle(1, 0));
        coordinator.decidePending();
        assertThat(sent).isEmpty();

        // Under another policy every list is empty: the online queue's flap tells nobody anything either.
        coordinator.setPolicy("fifo", Map.of());
        sent.clear();
        coordinator.receive(online, new Message.QueueReady(1, 0));
        coordinator.receive(online, new Message.QueueIdle(1, 0));
        coordinator.decidePending();
        assertThat(sent).isEmpty();
    }

    @Test
    void aQueueThatGoesAwayWithAListGetsTheListedQueuesAnExplicitRun() throws ProtocolException {
        OnlineAndBatch clients = bothArmedWithTheBatchReady();
        long online = clients.online();
        long batch = clients.batch();

        messages.clear();
        // It may have turned ready and stored into the batch queue's word, then closed before its
        // client's next round reported it.
        coordinator.handle(online, new Message.QueueClosed(1));
        assertThat(decisionsTo(batch)).containsExactly(new Message.QueueDecision(1, false));
        assertThat(listsSentTo(online)).as("a closed queue is told nothing").isEmpty();

        long second = client("second online");
        queue(second, 1, GPU0, 10);
        stopWord(second, 1);
        assertThat(coordinator.raiseList(second, 1)).containsExactly(word(batch, 1));
        messages.clear();
        coordinator.leave(second); // as a process that died right after its store
        assertThat(decisionsTo(batch)).containsExactly(new Message.QueueDecision(1, false));
    }

    @Test
    void aListHoldsTheLowestPrioritiesFirstUpToWhatOneFrameCarries() throws ProtocolException {
        long online = client("online");
        long batch = client("batch");
        queue(online, 1, GPU0, 10);
        int queues = FrameCodec.MAX_RAISE_WORDS + 44;
        for (int id = 1; id <= queues; id++) {
            coordinator.receive(batch, new Message.QueueCreated(id, "q" + id, GPU0, 16, 8));
            coordinator.receive(batch, new Message.HintSet(id, new Hint.Priority(id == queues ? -200 : -10)));
            Message.StopWordRef w = new Message.StopWordRef("/dev/shm/xsched-1000-" + batch + "-stop", 4L * (id % 1024));
            coordinator.receive(batch, new Message.StopWordSet(id, w.path(), w.offset()));
        }
        coordinator.decidePending();
        List<Message.StopWordRef> list = coordinator.raiseList(online, 1);
        assertThat(list).hasSize(FrameCodec.MAX_RAISE_WORDS);
        assertThat(list.getFirst()).as("the lowest priority first (the latest queue)").isEqualTo(word(batch, queues));
        assertThat(FrameCodec.encode(listsSentTo(online).getLast()).remaining()).isPositive();
    }

    @Test
    void aStopWordForAnUnknownQueueOrFromAControlConnectionIsAProtocolError() throws ProtocolException {
        long a = client("a");
        assertThatThrownBy(() -> coordinator.handle(a, new Message.StopWordSet(3, "/dev/shm/xsched-1-2-stop", 0)))
                .hasMessage("unknown queue id 3");
        long tool = coordinator.join(new Message.Hello(1, "top", Message.Role.CONTROL));
        assertThatThrownBy(() -> coordinator.handle(tool, new Message.StopWordSet(1, "/dev/shm/xsched-1-2-stop", 0)))
                .hasMessage("a control connection has no queues");
        assertThatThrownBy(() -> coordinator.handle(a, new Message.RaiseOnReady(1, List.of())))
                .hasMessage("unexpected message RaiseOnReady");
    }
}
