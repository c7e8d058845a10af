package dev.xsched.examples.scenario;

import dev.xsched.ipc.server.ServerLog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of the scheduler server that {@code xsched demo --processes 2} starts in its own JVM for
 * a scheduled mode (without {@code --server}): its warnings and errors (a refused peer, a client
 * dropped for a fault, the server's thread stopping) go to the console as they happen, since they
 * explain a mode that went wrong; every line, the connects and disconnects included, goes to
 * {@value #FILE} in the output folder once the mode ends, under the mode's name.
 *
 * <p>Lines arrive on the server's thread; {@link #appendTo} runs on the demo's once the server has
 * closed.
 */
final class DemoServerLog implements ServerLog {
    static final String FILE = "server.log";

    private final String mode;
    private final PrintStream console;
    private final List<String> lines = new ArrayList<>();

    DemoServerLog(String mode, PrintStream console) {
        this.mode = mode;
        this.console = console;
    }

    @Override
    public void line(System.Logger.Level level, String message) {
        if (level.getSeverity() >= System.Logger.Level.WARNING.getSeverity()) {
            console.println("  scheduler server: " + message);
        }
        synchronized (lines) {
            lines.add(level + " " + message);
        }
    }

    /** Appends this mode's lines to {@value #FILE} in {@code folder}; returns that file. */
    Path appendTo(Path folder) throws IOException {
        List<String> text = new ArrayList<>();
        text.add("== mode " + mode + " (the scheduler server in the demo's JVM)");
        synchronized (lines) {
            text.addAll(lines);
        }
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        Files.write(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }
}
