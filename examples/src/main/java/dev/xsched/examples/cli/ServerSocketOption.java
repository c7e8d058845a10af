package dev.xsched.examples.cli;

import dev.xsched.core.coordination.ServerSocketPath;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --socket PATH} of the commands that talk to a running scheduler server (a picocli mixin). */
final class ServerSocketOption {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "the server's socket (default $XDG_RUNTIME_DIR/xsched/xsched.sock, else /tmp/xsched-$UID/xsched.sock)")
    Path socket;

    Path path() {
        return socket != null ? socket : ServerSocketPath.defaultPath();
    }
}
