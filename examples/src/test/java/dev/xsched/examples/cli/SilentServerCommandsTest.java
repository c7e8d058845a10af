package dev.xsched.examples.cli;

import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code xsched top}, {@code policy} and {@code hint} give up on a socket that accepts and never
 * answers (a server stopped with SIGSTOP), after the 5 s deadline, with a message and no stack trace.
 */
@HangGuard(seconds = 120)
class SilentServerCommandsTest {
    @TempDir
    Path temp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void theControlCommandsFailWithTheDeadlineRatherThanHang() throws Exception {
        Path folder = Files.createDirectory(temp.resolve("run"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path socket = folder.resolve("xsched.sock");
        List<SocketChannel> accepted = new ArrayList<>();
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // kept open, never written to
                    }
                } catch (IOException closed) {
                    // The test ended.
                }
            });
            for (List<String> command : List.of(List.of("top", "--once"), List.of("policy", "cfs"),
                    List.of("hint", "42/batch", "priority=1"))) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--socket", socket.toString()));
                CliRun failed = run(args.toArray(String[]::new));
                assertThat(failed.status()).as(failed.err()).isEqualTo(1);
                assertThat(failed.err()).contains("the scheduler server at " + socket + " did not answer within 5 s")
                        .doesNotContain("\tat ").doesNotContain("Exception");
            }
        } finally {
            for (SocketChannel channel : List.copyOf(accepted)) {
                channel.close();
            }
        }
    }
}
