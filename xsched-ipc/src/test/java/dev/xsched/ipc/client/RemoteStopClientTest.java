package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.core.coordination.StopWordRaiser;
import dev.xsched.core.policy.Hint;
import dev.xsched.hip.Device;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's side of the cross-process stop against a scripted server, on the simulator in real
 * time: its queues' stop words reach the server after their registration; a list from the server
 * makes a queue's turning ready store into the words it names, each turn reported; a queue whose
 * word another process stored into holds its releases until a decision about it arrives; losing
 * the server disarms the words and stops the stores, and a reconnect arms them again. Words are
 * read through mappings of the test's own, as another process reads them. Waits are for states;
 * a hang fails with every thread's stack.
 */
@HangGuard(seconds = 120) // a hold nobody answers would wait for ever
class RemoteStopClientTest {
    @TempDir
    Path dir;

    private final SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
    private final Device gpu = sim.device(0);
    private final Kernel work = SimulatedPlatform.withBlockDuration(gpu.loadModule(gpu.compiler()
            .compile("work.hip", "extern \"C\" __global__ void work(int n) { }")).function("work", ParamType.INT),
            Duration.ofNanos(100_000));
    private final StopWordRaiser otherProcess = new StopWordRaiser();
    private ScriptedServer server;
    private ServerDecisionSource source;
    private XScheduler scheduler;

    @AfterEach
    void close() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        if (server != null) {
            server.close();
        }
        otherProcess.close();
        sim.close();
    }

    /** A server at a fresh socket, and a scheduler whose source connects to it with {@code options}. */
    private void start(ClientOptions options) throws IOException {
        Path socket = dir.resolve("xsched.sock");
        server = new ScriptedServer(socket);
        source = new ServerDecisionSource(socket, "client", options);
        scheduler = XScheduler.builder().name("client").decisionSource(source).jmx(false).build();
    }

    /** Counters every 30 s: the check for unanswered stores never runs within a test that does not want it. */
    private static ClientOptions slowChecks() {
        return new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO, true);
    }

    private XQueue queue(String name) {
        return scheduler.createQueue(gpu, XQueueConfig.defaults(name));
    }

    private void launch(XQueue queue) {
        queue.launch(work, LaunchConfig.of(1, 64), KernelArgs.builder().i32(0).build());
    }

    private static void await(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(200_000);
        }
    }

    /** The word as another process reads it: through a mapping of its own. */
    private static int valueOf(Message.StopWordSet word) throws IOException {
        return valueOf(Path.of(word.path()), word.offset());
    }

    private static int valueOf(Path file, long offset) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment words = channel.map(FileChannel.MapMode.READ_ONLY, 0, (long) StopWordFile.WORDS * Integer.BYTES, arena);
            return words.get(ValueLayout.JAVA_INT, offset);
        }
    }

    private void storeInto(Message.StopWordSet word) {
        otherProcess.raise(Path.of(word.path()), word.offset());
    }

    /** The stop words the server was told, by queue, once each of {@code queues} has one. */
    private Map<Long, Message.StopWordSet> stopWordsOf(XQueue... queues) throws InterruptedException {
        Map<Long, Message.StopWordSet> words = new HashMap<>();
        while (words.size() < queues.length) {
            Message.StopWordSet word = server.next(Message.StopWordSet.class);
            words.put(word.queueId(), word);
        }
        return words;
    }

    /**
     * Suspends and resumes each queue, waiting for each step to take effect: then the client applied
     * everything the server sent before, and no decision is still on its way (a resume of a queue
     * that already ran would not show when it arrived, and would end a store's hold whenever it did).
     */
    private void settle(XQueue... queues) throws IOException {
        for (XQueue queue : queues) {
            for (boolean suspended : new boolean[] {true, false}) {
                server.send(new Message.Decision(List.of(new Message.QueueDecision(queue.id(), suspended))));
                await(() -> queue.stats().suspended() == suspended);
            }
        }
    }

    @Test
    void aListMakesTheQueueStoreOnTurningReadyAndTheQueueStoredIntoWaitsForADecision() throws Exception {
        start(slowChecks());
        XQueue lp = queue("lp");
        XQueue hp = queue("hp");
        Map<Long, Message.StopWordSet> words = stopWordsOf(lp, hp);
        Message.StopWordSet lpWord = words.get(lp.id());
        assertThat(Path.of(lpWord.path())).exists().satisfies(p -> assertThat(StopWordFiles.isStopWordFile(p)).isTrue());
        assertThat(words.get(hp.id()).path()).as("one file for the process's queues").isEqualTo(lpWord.path());
        assertThat(words.get(hp.id()).offset()).isNotEqualTo(lpWord.offset());
        assertThat(server.skipped()).as("each word follows its queue's registration")
                .anyMatch(m -> m instanceof Message.QueueCreated c && c.queueId() == lp.id())
                .anyMatch(m -> m instanceof Message.QueueCreated c && c.queueId() == hp.id());

        server.send(new Message.RaiseOnReady(hp.id(), List.of(lpWord.word())));
        settle(hp, lp);
        assertThat(source.raisesOnReady(hp.id())).isTrue();
        int before = valueOf(lpWord);

        launch(hp);
        hp.synchronize();
        assertThat(valueOf(lpWord)).as("the store of hp's turning ready").isEqualTo(before + 1);
        assertThat(server.next(Message.QueueReady.class).queueId()).as("and the turn reported").isEqualTo(hp.id());

        launch(lp);
        assertThat(lp.stats().launched()).as("held by the store: nothing released until a decision about it").isZero();
        assertThat(lp.stats().buffered()).isEqualTo(1);
        server.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), false)))); // the server's explicit run
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(1);

        launch(hp);
        hp.synchronize();
        assertThat(valueOf(lpWord)).as("every turning ready stores").isEqualTo(before + 2);
        server.send(new Message.RaiseOnReady(hp.id(), List.of()));
        await(() -> !source.raisesOnReady(hp.id()));
        launch(hp);
        hp.synchronize();
        assertThat(valueOf(lpWord)).as("an empty list clears it").isEqualTo(before + 2);
        server.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), false))));
        lp.synchronize();

        scheduler.close();
        assertThat(Path.of(lpWord.path())).as("the file went with the last queue that held a word of it").doesNotExist();
    }

    @Test
    void losingTheServerDisarmsTheWordsAndStopsTheStoresAndAReconnectArmsThemAgain() throws Exception {
        start(slowChecks());
        XQueue lp = queue("lp");
        XQueue hp = queue("hp");
        Message.StopWordSet lpWord = stopWordsOf(lp, hp).get(lp.id());
        server.send(new Message.RaiseOnReady(hp.id(), List.of(lpWord.word())));
        settle(hp, lp);
        launch(hp);
        hp.synchronize();
        server.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), false))));
        launch(lp);
        lp.synchronize(); // its wait armed again past the store
        int armed = valueOf(lpWord);

        server.close();
        // The loss clears the raise lists first and disarms after the fail-open's run: wait for both.
        await(() -> !source.raisesOnReady(hp.id()) && source.stopWordOf(lp.id()).value() != armed);
        assertThat(valueOf(lpWord)).as("the disarm let its pending wait go with a store of its own").isEqualTo(armed + 1);
        launch(hp);
        hp.synchronize();
        assertThat(valueOf(lpWord)).as("no store while the server is away").isEqualTo(armed + 1);
        storeInto(lpWord); // another process's late store, from a list it had not yet seen cleared
        launch(lp);
        lp.synchronize(); // with nobody to send a decision, a queue held by the store would wait for ever here
        assertThat(lp.stats().completed()).isEqualTo(2);

        server = new ScriptedServer(dir.resolve("xsched.sock"));
        Message.StopWordSet again = stopWordsOf(lp, hp).get(lp.id());
        assertThat(again).as("the same word, registered again").isEqualTo(lpWord);
        // No decision yet: a queue that was running keeps running until the server's first.
        storeInto(lpWord);
        launch(lp);
        assertThat(lp.stats().launched()).as("armed again: the store holds it").isEqualTo(2);
        assertThat(lp.stats().buffered()).isEqualTo(1);
        server.send(new Message.Decision(List.of(new Message.QueueDecision(lp.id(), false))));
        lp.synchronize();
        assertThat(lp.stats().completed()).isEqualTo(3);
    }

    @Test
    void aStoreThatNoDecisionAnswersIsAnsweredByTheLatestDecisionWithinTwoPeriodsOfCounters() throws Exception {
        start(new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ZERO, true));
        XQueue lp = queue("lp");
        Message.StopWordSet lpWord = stopWordsOf(lp).get(lp.id());
        settle(lp);

        // A process that still acted on a list the server had changed: the server hears of no store.
        storeInto(lpWord);
        launch(lp);
        lp.synchronize(); // the server's latest decision, "run", applied again after a period unanswered
        assertThat(lp.stats().completed()).isEqualTo(1);
        assertThat(server.skipped()).noneMatch(m -> m instanceof Message.Error);
    }

    @Test
    void withTheSwitchOffNoQueueGetsAWordAndListsAreIgnored() throws Exception {
        start(slowChecks().withRemoteStop(false));
        XQueue lp = queue("lp");
        XQueue hp = queue("hp");
        // Registered (a decision about a queue the client has not registered yet is not for it).
        assertThat(List.of(server.next(Message.QueueCreated.class).queueId(), server.next(Message.QueueCreated.class).queueId()))
                .containsExactlyInAnyOrder(lp.id(), hp.id());
        try (StopWordFile other = StopWordFile.create(dir.resolve("xsched-1000-1-stop"))) {
            server.send(new Message.RaiseOnReady(hp.id(), List.of(new Message.StopWordRef(other.path().toString(), 0))));
            settle(hp, lp);
            launch(hp);
            hp.synchronize();
            // A frame of a later round: a word would have followed the registration, before it.
            hp.hint(new Hint.Priority(5));
            assertThat(server.next(Message.HintSet.class)).isEqualTo(new Message.HintSet(hp.id(), new Hint.Priority(5)));
            assertThat(server.skipped()).as("registered without a word").noneMatch(m -> m instanceof Message.StopWordSet);
            assertThat(source.stopWordOf(lp.id())).isNull();
            assertThat(source.raisesOnReady(hp.id())).isFalse();
            assertThat(valueOf(other.path(), 0)).as("nothing stored").isZero();
        }
    }

    @Test
    void aFileNotNamedAsAStopWordFileIsNeverStoredInto() throws Exception {
        start(slowChecks());
        XQueue hp = queue("hp");
        stopWordsOf(hp);
        Path victim = dir.resolve("notes.txt");
        Files.write(victim, new byte[StopWordFile.WORDS * Integer.BYTES]);
        server.send(new Message.RaiseOnReady(hp.id(), List.of(new Message.StopWordRef(victim.toString(), 0))));
        settle(hp);
        assertThat(source.raisesOnReady(hp.id())).isFalse();
        launch(hp);
        hp.synchronize();
        assertThat(Files.readAllBytes(victim)).containsOnly(0);
    }
}
