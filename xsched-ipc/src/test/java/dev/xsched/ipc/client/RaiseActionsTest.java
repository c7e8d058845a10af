package dev.xsched.ipc.client;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.ServerSocketPath;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.ipc.protocol.Message;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's stop-word list for a queue that closes while it is on its way: the I/O thread gives
 * it an action only if the queue is still open when it takes the lock, so a queue already
 * forgotten by the scheduling thread is not given an action and a count that nothing would ever
 * remove (before, the caller looked the queue up before the lock, and such entries stayed for the
 * process's life).
 */
class RaiseActionsTest {
    /** A word of another process, named as the server names them (the file need not exist for this). */
    private static final List<Message.StopWordRef> WORDS = List.of(new Message.StopWordRef(
            StopWordFile.defaultPath().toAbsolutePath().getParent()
                    .resolve("xsched-" + ServerSocketPath.currentUid() + "-999999-stop").toString(), 0));

    @Test
    void aListForAQueueClosedAndForgottenBeforeItArrivedAddsNothing() {
        RaiseActions actions = new RaiseActions(true);
        withQueue(actions, queue -> {
            Map<Long, XQueue> open = new ConcurrentHashMap<>(Map.of(queue.id(), queue));

            actions.set(queue.id(), open::get, WORDS);
            assertThat(actions.hasAction(queue.id())).as("an open queue's list").isTrue();

            // The queue closes: it leaves the open queues, then the scheduling thread forgets it,
            // and only then does the server's next list for it arrive.
            open.remove(queue.id());
            actions.forget(queue.id());
            actions.set(queue.id(), open::get, WORDS);
            assertThat(actions.hasAction(queue.id())).as("the list that came after the forget").isFalse();
            assertThat(actions.turns(queue.id())).isZero();
        });
    }

    @Test
    void aProcessOutOfTheStopTakesNoList() {
        RaiseActions actions = new RaiseActions(false);
        withQueue(actions, queue -> {
            actions.set(queue.id(), id -> queue, WORDS);
            assertThat(actions.hasAction(queue.id())).isFalse();
        });
    }

    /** Runs {@code body} with a queue of a simulated GPU under a scheduler of its own, then closes {@code actions}. */
    private static void withQueue(RaiseActions actions, Consumer<XQueue> body) {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build();
             XScheduler scheduler = XScheduler.builder().name("raise-actions").jmx(false).build()) {
            body.accept(scheduler.createQueue(sim.device(0), XQueueConfig.defaults("q")));
        } finally {
            actions.close();
        }
    }
}
