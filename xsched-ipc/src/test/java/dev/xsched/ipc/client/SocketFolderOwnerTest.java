package dev.xsched.ipc.client;

import dev.xsched.core.coordination.ServerSocketPath;
import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.server.SchedulerServer;
import dev.xsched.ipc.server.ServerOptions;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The default socket's folder {@code /tmp/xsched-<uid>} lies where every user may create folders:
 * another user who makes it first must neither keep the real server from starting unnoticed nor
 * get clients to connect to an impostor. The server refuses a socket folder that is not its own
 * user's; a client refuses one owned by a third user in a folder others may write to, and one
 * others may write to, and still connects where root made the folder for the server's user (as
 * systemd's {@code /run/xsched}). The folders are made here as {@code /tmp} and {@code /run} are,
 * and handed to uid 65534 (nobody), which needs root.
 */
@HangGuard(seconds = 120)
class SocketFolderOwnerTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    @BeforeEach
    void needsRoot() {
        assumeTrue(ServerSocketPath.currentUid() == 0, "needs root to hand a folder to another user");
    }

    /** A folder like {@code /tmp}: every user may create in it (mode 1777). */
    private Path sharedTmp() throws IOException {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setAttribute(tmp, "unix:mode", 01777);
        return tmp;
    }

    /** {@code /tmp/xsched-0} as another user makes it before the server: theirs, mode {@code mode}. */
    private static Path madeByNobody(Path parent, String mode) throws IOException {
        Path folder = Files.createDirectory(parent.resolve("xsched-0"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
        Files.setAttribute(folder, "unix:uid", NOBODY);
        return folder;
    }

    @Test
    void theServerRefusesASocketFolderOfAnotherUserNamingItsOwner() throws Exception {
        Path folder = madeByNobody(sharedTmp(), "rwx------"); // a mode the server would take from its own user
        assertThatThrownBy(() -> SchedulerServer.start(ServerOptions.defaults().withSocket(folder.resolve("xsched.sock"))
                .withJmx(false), (level, line) -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("the socket folder " + folder + " is owned by ")
                .hasMessageContaining("(uid 65534), not by the server's user (uid 0)");
        assertThat(folder.resolve("xsched.sock")).as("nothing bound there").doesNotExist();

        Files.setAttribute(folder, "unix:uid", 0); // the same folder, the server's own
        SchedulerServer.start(ServerOptions.defaults().withSocket(folder.resolve("xsched.sock")).withJmx(false),
                (level, line) -> { }).close();
    }

    @Test
    void aClientRefusesASocketInAFolderAThirdUserMadeWhereAnyoneCould() throws Exception {
        Path folder = madeByNobody(sharedTmp(), "rwxr-xr-x");
        Path socket = folder.resolve("xsched.sock");
        try (ScriptedServer impostor = new ScriptedServer(socket)) { // it would welcome the client
            ServerDecisionSource source = new ServerDecisionSource(socket, "careful", ClientOptions.defaults());
            assertThatThrownBy(source::handshake).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("refusing the scheduler server socket " + socket + ": its folder ")
                    .hasMessageContaining("(uid 65534), neither this process's user (uid 0) nor root");
            assertThatThrownBy(() -> ControlClient.connect(socket, "careful-tool")).isInstanceOf(IOException.class)
                    .hasMessageContaining("(uid 65534), neither this process's user (uid 0) nor root");

            Files.setAttribute(folder, "unix:uid", 0); // root's, in the same place: taken
            source.handshake().close();
        }
    }

    @Test
    void aClientRefusesASocketFolderThatOtherUsersMayWrite() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path socket = folder.resolve("xsched.sock");
        try (ScriptedServer anyone = new ScriptedServer(socket)) {
            assertThatThrownBy(new ServerDecisionSource(socket, "careful", ClientOptions.defaults())::handshake)
                    .isInstanceOf(IOException.class)
                    .hasMessage("refusing the scheduler server socket " + socket + ": its folder " + folder.toRealPath()
                            + " has mode rwxrwxrwx, so any user could have put the socket there");
        }
    }

    @Test
    void aClientConnectsWhereRootMadeTheFolderForTheServersUser() throws Exception {
        // As systemd's RuntimeDirectory: /run (root's, 0755) holds /run/xsched, the server's user's, 0770.
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path folder = Files.createDirectory(run.resolve("xsched"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwx---"));
        Files.setAttribute(folder, "unix:uid", NOBODY);
        Path socket = folder.resolve("xsched.sock");
        try (ScriptedServer server = new ScriptedServer(socket);
             FrameChannel connected = new ServerDecisionSource(socket, "deployed", ClientOptions.defaults()).handshake()) {
            assertThat(connected).isNotNull();
        }
    }
}
