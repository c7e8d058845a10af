package dev.xsched.examples.scenario;

import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processes of {@code xsched demo --processes 2} do not outlive their parent: the parent's
 * shutdown hook ends them (and its server) when it is stopped with SIGTERM, and a process whose
 * parent has gone all the same (SIGKILL) exits by itself.
 */
@HangGuard(seconds = 60)
class DemoProcessLifetimeTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void endProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theShutdownHookEndsLiveChildrenAndClosesTheServer() throws Exception {
        Process child = sleeper();
        AtomicBoolean serverClosed = new AtomicBoolean();
        AtomicBoolean closedServerTouched = new AtomicBoolean();
        try (ChildProcesses children = ChildProcesses.endedWithThisJvm()) {
            children.add(child);
            children.add(() -> serverClosed.set(true));
            AutoCloseable alreadyClosed = () -> closedServerTouched.set(true);
            children.add(alreadyClosed);
            children.remove(alreadyClosed);

            children.endAll();
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child ended").isTrue();
        assertThat(serverClosed).isTrue();
        assertThat(closedServerTouched).as("a server the demo closed itself is left alone").isFalse();
    }

    @Test
    void aProcessWhoseParentEndsExitsAndSaysWhy() throws Exception {
        Process parent = sleeper();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ParentWatch.exitWhenEnded(parent.toHandle(), "LP", exit::complete);
        assertThat(exit).as("the parent still runs").isNotDone();

        parent.destroyForcibly();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ParentWatch.PARENT_GONE);
    }

    private Process sleeper() throws IOException {
        Process process = new ProcessBuilder("sleep", "600").start();
        started.add(process);
        return process;
    }
}
