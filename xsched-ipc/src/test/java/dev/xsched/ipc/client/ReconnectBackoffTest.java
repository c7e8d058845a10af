package dev.xsched.ipc.client;

import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.ipc.protocol.FrameCodec;
import dev.xsched.ipc.protocol.Message;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that drops the client right after welcoming it (as one does for a queue over its
 * limit, a device over the device limit, an overflowing write buffer or an internal error) must
 * not be reconnected to in a loop: each connection re-registers every queue, and the other
 * clients' queues are suspended and resumed each time. The client waits between such connections
 * as between failed connects, and the whole cycle is one outage with one warning.
 */
@HangGuard(seconds = 120)
class ReconnectBackoffTest {
    /** Waits from 20 ms, doubling to 200 ms: the bound below is computed from them. */
    private static final ClientOptions OPTIONS = new ClientOptions(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ZERO);
    private static final Duration WINDOW = Duration.ofMillis(1_500);

    private static final DecisionSource.Scheduling NO_SCHEDULER = new DecisionSource.Scheduling() {
        @Override
        public void redecide() {
        }

        @Override
        public void apply(Map<Long, Boolean> suspended) {
        }
    };

    @TempDir
    Path dir;
    private ClientWarnings warnings;

    @BeforeEach
    void record() throws ReflectiveOperationException {
        warnings = new ClientWarnings(ServerDecisionSource.class.getName());
    }

    @AfterEach
    void stopRecording() throws ReflectiveOperationException {
        warnings.close();
    }

    /**
     * The WARNING lines of one logger, seen by a filter on its java.util.logging logger (where
     * {@link System.Logger} writes). Through reflection: this module does not read java.logging,
     * and reflection needs no read edge; the filter is an interface, so a proxy can implement it.
     */
    private static final class ClientWarnings {
        final List<String> messages = new CopyOnWriteArrayList<>();
        /** Held here: java.util.logging keeps its loggers only weakly, and the filter must stay on. */
        private final Object logger;
        private final Method setFilter;

        ClientWarnings(String name) throws ReflectiveOperationException {
            Class<?> loggerType = Class.forName("java.util.logging.Logger");
            Class<?> filterType = Class.forName("java.util.logging.Filter");
            Class<?> recordType = Class.forName("java.util.logging.LogRecord");
            Class<?> levelType = Class.forName("java.util.logging.Level");
            Method levelOf = recordType.getMethod("getLevel");
            Method messageOf = recordType.getMethod("getMessage");
            Method valueOf = levelType.getMethod("intValue");
            int warning = (Integer) valueOf.invoke(levelType.getField("WARNING").get(null));
            logger = loggerType.getMethod("getLogger", String.class).invoke(null, name);
            setFilter = loggerType.getMethod("setFilter", filterType);
            InvocationHandler recordWarnings = (proxy, method, args) -> switch (method.getName()) {
                case "isLoggable" -> {
                    if ((Integer) valueOf.invoke(levelOf.invoke(args[0])) >= warning) {
                        messages.add((String) messageOf.invoke(args[0]));
                    }
                    yield true; // logged as ever
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "warnings of " + name;
            };
            setFilter.invoke(logger, Proxy.newProxyInstance(ReconnectBackoffTest.class.getClassLoader(),
                    new Class<?>[] {filterType}, recordWarnings));
        }

        void close() throws ReflectiveOperationException {
            setFilter.invoke(logger, (Object) null);
        }
    }

    /**
     * Welcomes every connection and closes it at once, after an {@code Error} frame with {@code why}
     * if given; records when each connection came.
     */
    private static final class WelcomeThenDrop implements AutoCloseable {
        final ServerSocketChannel listener;
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        WelcomeThenDrop(Path socket, String why) throws IOException {
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(socket));
            acceptor = Thread.ofPlatform().daemon().name("welcome-then-drop").start(() -> {
                while (listener.isOpen()) {
                    try (SocketChannel client = listener.accept()) {
                        arrivals.add(System.nanoTime());
                        ScriptedServer.readFully(client, ByteBuffer.allocate(FrameCodec.HANDSHAKE_BYTES));
                        ScriptedServer.write(client, FrameCodec.handshake(FrameCodec.VERSION));
                        int length = ScriptedServer.readFully(client, ByteBuffer.allocate(4)).getInt();
                        ScriptedServer.readFully(client, ByteBuffer.allocate(length)); // the hello
                        ScriptedServer.write(client, FrameCodec.encode(new Message.Welcome(arrivals.size(), "dropping")));
                        if (why != null) {
                            ScriptedServer.write(client, FrameCodec.encode(new Message.Error(why)));
                        }
                    } catch (IOException e) {
                        // The client went first, or the listener closed: next one.
                    }
                }
            });
        }

        /** How many connections came within {@code window} of the first. */
        long arrivalsWithin(Duration window) {
            long first = arrivals.getFirst();
            return arrivals.stream().filter(t -> t - first <= window.toNanos()).count();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            acceptor.join(10_000);
        }
    }


    /**
     * The most connections a client that waits {@link #OPTIONS}' doubling waits between them can
     * make within {@code window} of its first: one, and one more after each wait that fits.
     */
    private static int mostConnectionsWithBackoff(Duration window) {
        long wait = OPTIONS.firstRetry().toNanos();
        long elapsed = 0;
        int connections = 1;
        while ((elapsed += wait) <= window.toNanos()) {
            connections++;
            wait = Math.min(wait * 2, OPTIONS.maxRetry().toNanos());
        }
        return connections;
    }

    /** Runs a client against {@code server} for the window after its first connection. */
    private void runClientFor(WelcomeThenDrop server, ServerDecisionSource source) {
        source.attach("dropped", NO_SCHEDULER);
        try {
            while (server.arrivals.isEmpty()) {
                LockSupport.parkNanos(1_000_000);
            }
            LockSupport.parkNanos(WINDOW.toNanos() + 100_000_000L); // the window, and a little for its last arrival
        } finally {
            source.close();
        }
    }

    private List<String> lossWarnings() {
        return warnings.messages.stream().filter(m -> m.contains("scheduler server")).toList();
    }

    @Test
    void aServerThatDropsTheClientRightAfterItsWelcomeIsReconnectedToWithBackoffAndOneWarning() throws Exception {
        Path socket = dir.resolve("s");
        try (WelcomeThenDrop server = new WelcomeThenDrop(socket, null)) {
            runClientFor(server, new ServerDecisionSource(socket, "dropped", OPTIONS));
            // Without the backoff the client reconnected at once each time: hundreds within the window.
            assertThat(server.arrivalsWithin(WINDOW)).as("connections within %s of the first", WINDOW)
                    .isBetween(3L, (long) mostConnectionsWithBackoff(WINDOW));
        }
        assertThat(lossWarnings()).as("one outage, one warning").hasSize(1);
        assertThat(lossWarnings().getFirst()).startsWith("lost the scheduler server at " + socket);
    }

    @Test
    void aServerThatEndsEachConnectionWithAnErrorIsReconnectedToWithBackoffHoweverLongTheConnectionLasted() throws Exception {
        Path socket = dir.resolve("s");
        try (WelcomeThenDrop server = new WelcomeThenDrop(socket, "client 3 registered more than 8192 queues")) {
            // Every connection counts as one that lasted: only the server's Error frame makes the client wait.
            runClientFor(server, new ServerDecisionSource(socket, "dropped", OPTIONS, Duration.ZERO,
                    dev.xsched.core.XQueue::disarmRemoteStop));
            assertThat(server.arrivalsWithin(WINDOW)).as("connections within %s of the first", WINDOW)
                    .isBetween(3L, (long) mostConnectionsWithBackoff(WINDOW));
        }
        // Each connection served "a while" here, so each loss is an outage of its own, with its warning.
        assertThat(lossWarnings()).as("warnings with the server's reason").isNotEmpty()
                .allSatisfy(w -> assertThat(w).contains("(client 3 registered more than 8192 queues)"));
    }
}
