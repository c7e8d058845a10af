package dev.xsched.ipc.it;

import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.ExternalCommand;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SO_PEERCRED check with a real second user: a process of uid 65534 (started through
 * {@code setpriv}, so the test needs root and util-linux) reaches the socket only because the test
 * opens the file modes wide, and is refused by the server; allowed by name it gets in.
 */
class PeerCredentialsTest {
    @TempDir
    Path dir;
    final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void anotherUserIsRefusedUnlessAllowed() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root") && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and /usr/bin/setpriv to run a process as another user");
        Watchdog.within(Duration.ofMinutes(2), () -> {
            Path folder = Files.createDirectory(dir.resolve("s"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path socket = folder.resolve("xsched.sock");
            // Test-only: let uid 65534 reach the folders and the file, so that only the server's check stands.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx---rwx"));
            try (SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(socket).withJmx(false),
                    (level, line) -> log.add(line))) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx---rwx"));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw----rw-"));
                String user = probeAs65534(socket);
                assertThat(user).as("refused, with the reason, whether the hello was written before the close or not")
                        .containsPattern("^(failed |answer Error\\[reason=)permission denied for user ");
                assertThat(log).anySatisfy(l -> assertThat(l).startsWith("refused a connection from user ")
                        .contains("not the server's user root"));
            }
            String nobody = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(l -> l.split(":")[2].equals("65534"))
                    .map(l -> l.split(":")[0]).findFirst().orElse("65534");
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            try (SchedulerServer server = SchedulerServer.start(ServerOptions.defaults().withSocket(socket).withJmx(false)
                    .withAllowed(Set.of(nobody), Set.of()), (level, line) -> log.add(line))) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx---rwx"));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw----rw-"));
                assertThat(probeAs65534(socket)).startsWith("answer Welcome[");
            }
        });
    }

    private static String probeAs65534(Path socket) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", ClientProcess.classPath(), ProbeJvm.class.getName(), socket.toString()));
        // A probe that hangs is killed at the limit and fails the test, rather than holding it open.
        String out = ExternalCommand.run(command, null, Duration.ofSeconds(60)).output().strip();
        return out.lines().filter(l -> l.startsWith("answer") || l.startsWith("failed")).findFirst().orElse(out);
    }
}
