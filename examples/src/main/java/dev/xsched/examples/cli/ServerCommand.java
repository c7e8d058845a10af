package dev.xsched.examples.cli;

import dev.xsched.core.coordination.ServerSocketPath;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.client.ClientOptions;
import dev.xsched.ipc.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code xsched server}: the scheduler server of this host ({@link SchedulerServer}). */
@Command(name = "server", sortOptions = false,
        description = {"the scheduler server: one policy for the XQueues of every process on this host",
                "Processes connect with XScheduler.builder().server(PATH) or, for automatic XQueues, "
                        + "XSCHED_SCHEDULER=global (and XSCHED_SERVER_SOCKET when the socket is not the default). "
                        + "One scheduler per GPU, matched by device UUID. Runs until stopped (SIGTERM, Ctrl-C); "
                        + "logs one line per client connect and disconnect; JMX: dev.xsched:type=XScheduler,name=\"xsched-server\"."})
final class ServerCommand extends Subcommand {
    @Option(names = "--policy", paramLabel = "P", description = "the policy ('xsched policies' lists them; default ${DEFAULT-VALUE})")
    String policy = "hpf";

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a policy parameter (repeatable), as listed by 'xsched policies'")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--socket", paramLabel = "PATH",
            description = "the Unix domain socket (default $XDG_RUNTIME_DIR/xsched/xsched.sock, else /tmp/xsched-$UID/xsched.sock)")
    Path socket;

    @Option(names = "--allow-user", paramLabel = "USER", description = "also accept processes of this user (repeatable); default: only the server's own user")
    Set<String> users = new LinkedHashSet<>();

    @Option(names = "--allow-group", paramLabel = "GROUP", description = "also accept processes of this group (repeatable)")
    Set<String> groups = new LinkedHashSet<>();

    @Option(names = "--write-buffer", paramLabel = "BYTES",
            description = "bytes queued for one client before its connection is closed (default ${DEFAULT-VALUE})")
    int writeBuffer = ServerOptions.DEFAULT_WRITE_BUFFER_BYTES;

    @Option(names = "--heartbeat-ms", paramLabel = "MS",
            description = "how often every scheduling client is pinged, in milliseconds; at most a third of the clients' "
                    + "10 s server timeout, which the pings keep from expiring (default ${DEFAULT-VALUE})")
    long heartbeatMillis = ServerOptions.DEFAULT_HEARTBEAT.toMillis();

    @Option(names = "--client-timeout-ms", paramLabel = "MS",
            description = "a scheduling client that sends nothing, not even an answer to a ping, for this long is dropped "
                    + "as a closed one is, in milliseconds; longer than the heartbeat (default ${DEFAULT-VALUE})")
    long clientTimeoutMillis = ServerOptions.DEFAULT_CLIENT_TIMEOUT.toMillis();

    /** The servers this JVM runs from the command line, by socket: a test stops them through it. */
    static final java.util.concurrent.ConcurrentHashMap<Path, SchedulerServer> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    ServerCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        ServerOptions options = validated(() -> {
            // A client counts a server silent for its timeout as lost: pinged less often than that,
            // every idle client would fail open and reconnect again and again.
            long longestHeartbeat = ClientOptions.DEFAULT_SERVER_TIMEOUT.toMillis() / 3;
            if (heartbeatMillis > longestHeartbeat) {
                throw new IllegalArgumentException("--heartbeat-ms must be at most " + longestHeartbeat
                        + " (a third of the clients' server timeout), got " + heartbeatMillis);
            }
            return ServerOptions.defaults()
                    .withSocket(socket != null ? socket : ServerSocketPath.defaultPath())
                    .withPolicy(policy, parameters).withAllowed(users, groups).withWriteBufferBytes(writeBuffer)
                    .withHeartbeat(Duration.ofMillis(heartbeatMillis), Duration.ofMillis(clientTimeoutMillis));
        });
        SchedulerServer server = SchedulerServer.start(options, (level, line) -> terminal.err().println("xsched server: " + line));
        RUNNING.put(server.socket(), server);
        Thread stop = new Thread(server::close, "xsched-server-shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        boolean closed;
        try {
            closed = server.awaitTermination();
        } finally {
            RUNNING.remove(server.socket());
            removeHook(stop);
        }
        if (!closed) {
            // Logged above; a non-zero status lets a supervisor (systemd Restart=on-failure) restart it.
            terminal.err().println("xsched server: stopped by an error");
            return 1;
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook anyway.
        }
    }
}
