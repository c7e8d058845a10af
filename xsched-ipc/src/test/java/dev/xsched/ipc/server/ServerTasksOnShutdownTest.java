package dev.xsched.ipc.server;

import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.HangGuard;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query posted to the server's thread ({@link SchedulerServer#onServerThread}, as JMX does) just
 * before the thread stops is failed at once, not left for its caller's 30 s limit: no wait may
 * outlive the thread it waits on. Each test holds the server's thread at a chosen point (in a
 * query, or in its log) while the caller posts, so the query is queued where the thread no longer
 * looks.
 */
@HangGuard(seconds = 120)
class ServerTasksOnShutdownTest {
    /**
     * The defaults with pings an hour apart: this test reads a raw client's frames one by one, and
     * a heartbeat's ping among them on a slow run would be taken for an answer.
     */
    private static final ServerOptions QUIET = ServerOptions.defaults().withHeartbeat(Duration.ofHours(1), Duration.ofHours(2));
    /** Well under the 30 s a stranded query waited, far above a prompt answer on a loaded machine. */
    private static final Duration PROMPT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** What one call of {@code onServerThread} ended with, on a thread of its own. */
    private static final class Caller {
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final Thread thread;

        Caller(SchedulerServer server) {
            thread = Thread.ofPlatform().name("jmx-like-caller").start(() -> {
                try {
                    outcome.set(server.onServerThread(Coordinator::queueCount));
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
        }

        /** Waits until the caller has posted its query and waits for the answer. */
        void awaitPosted() {
            while (!(thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals("java.util.concurrent.CompletableFuture")))) {
                assertThat(thread.isAlive()).as("the caller still waits").isTrue();
                LockSupport.parkNanos(1_000_000);
            }
        }

        Object outcomeWithin(Duration limit) throws InterruptedException {
            assertThat(thread.join(limit)).as("the caller was answered within %s", limit).isTrue();
            return outcome.get();
        }
    }

    @Test
    void aQueryQueuedBehindOneThatStopsTheServerWithAnErrorFailsAtOnce() throws Exception {
        SchedulerServer server = SchedulerServer.start(QUIET.withSocket(dir.resolve("s")).withJmx(false),
                (level, line) -> { });
        try {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread fatal = Thread.ofPlatform().start(() -> {
                try {
                    server.onServerThread(c -> {
                        running.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new OutOfMemoryError("simulated");
                    });
                } catch (OutOfMemoryError expected) {
                    // Its own caller is told; the query behind it is this test's concern.
                }
            });
            running.await();
            Caller behind = new Caller(server); // queued behind the fatal query, which the thread runs now
            behind.awaitPosted();
            release.countDown();

            assertThat(behind.outcomeWithin(PROMPT)).asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(IllegalStateException.class).hasMessage("the server thread has stopped");
            fatal.join();
            assertThat(server.awaitTermination()).as("stopped by the error").isFalse();
        } finally {
            server.close();
        }
    }

    @Test
    void aQueryPostedWhileTheServerClosesFailsAtOnce() throws Exception {
        AtomicReference<SchedulerServer> started = new AtomicReference<>();
        AtomicReference<Caller> caller = new AtomicReference<>();
        AtomicReference<Thread> closer = new AtomicReference<>();
        // The log runs on the server's thread, after the iteration's tasks were taken: holding it
        // there while close() begins and a query is posted leaves that query behind the last look.
        ServerLog holdAtConnect = (level, line) -> {
            if (line.startsWith("client ") && line.contains(" connected: pid ")) {
                SchedulerServer server = started.get();
                Thread closing = Thread.ofPlatform().name("closer").start(server::close);
                closer.set(closing);
                while (closing.getState() != Thread.State.TIMED_WAITING) { // in its join: the loop will end
                    LockSupport.parkNanos(1_000_000);
                }
                Caller late = new Caller(server);
                late.awaitPosted();
                caller.set(late);
            }
        };
        SchedulerServer server = SchedulerServer.start(QUIET.withSocket(dir.resolve("s")).withJmx(false),
                holdAtConnect);
        started.set(server);
        try (FrameChannel client = FrameChannel.connect(server.socket())) {
            client.send(new Message.Hello(1, "trigger", Message.Role.SCHEDULING));
            while (caller.get() == null) {
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(caller.get().outcomeWithin(PROMPT)).asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(IllegalStateException.class).hasMessage("the server thread has stopped");
            closer.get().join();
            assertThat(server.awaitTermination()).as("stopped by close()").isTrue();
        } finally {
            server.close();
        }
    }
}
