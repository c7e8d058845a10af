package dev.xsched.examples.scenario;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The HP and LP processes of {@code xsched demo --processes 2}, and the scheduler server it runs in
 * this JVM, ended when this JVM is stopped ({@code kill}, {@code timeout}, Ctrl-C): a shutdown hook,
 * because the cleanup in the parent's {@code finally} does not run on SIGTERM, and the children would
 * otherwise go on holding the GPU. {@link #close()} removes the hook once the demo has ended its
 * children itself.
 */
final class ChildProcesses implements AutoCloseable {
    /** How long a child may take to exit on SIGTERM before it is killed. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::endAll, "xsched-demo-children");

    private ChildProcesses() {
    }

    /** A registry whose children and servers are ended when this JVM shuts down, until {@link #close()}. */
    static ChildProcesses endedWithThisJvm() {
        ChildProcesses registry = new ChildProcesses();
        Runtime.getRuntime().addShutdownHook(registry.hook);
        return registry;
    }

    /** Registers a child process, ended if this JVM stops while it runs; returns it. */
    Process add(Process child) {
        children.add(child);
        return child;
    }

    /** Registers the scheduler server of this JVM, closed if this JVM stops while it runs. */
    void add(AutoCloseable server) {
        servers.add(server);
    }

    /** Forgets a server the demo has closed itself. */
    void remove(AutoCloseable server) {
        servers.remove(server);
    }

    /**
     * Ends every child still alive (SIGTERM, then SIGKILL after {@link #GRACE}) and closes the
     * servers: what the shutdown hook runs.
     */
    void endAll() {
        List<Process> alive = children.stream().filter(Process::isAlive).toList();
        if (!alive.isEmpty()) {
            System.err.println("xsched demo: stopping; ending its " + alive.size() + " child process(es) "
                    + alive.stream().map(p -> Long.toString(p.pid())).toList());
        }
        alive.forEach(Process::destroy);
        for (Process child : alive) {
            try {
                if (!child.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("xsched demo: could not close the scheduler server: " + e);
            }
        }
    }

    /** Removes the shutdown hook (nothing to do once the JVM is already shutting down: the hook runs). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it ends what is left.
        }
    }
}
