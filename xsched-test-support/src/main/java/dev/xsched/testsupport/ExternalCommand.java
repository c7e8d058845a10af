package dev.xsched.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tests that run a program outside the JVM (bash, g++, python3, a compiled emulator): its exit
 * code and its output (stdout and stderr together), within a time limit. The output is read on a
 * thread of its own, so that a program that hangs with its output open is killed at the limit
 * and fails the test, rather than blocking a read that the limit never gets to cut.
 */
public final class ExternalCommand {
    /** What the program did. */
    public record Result(int exitCode, String output) {
    }

    private ExternalCommand() {
    }

    /**
     * Runs {@code command} in {@code directory} (null: this JVM's) and waits at most {@code limit}.
     *
     * @throws IOException    if the program cannot be started (not installed, not executable)
     * @throws AssertionError if it runs past {@code limit}; it is killed first
     */
    public static Result run(List<String> command, Path directory, Duration limit) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().name("external-command-output").start(() -> copy(process.getInputStream(), output));
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            reader.join(limit.toMillis());
            throw new AssertionError(command + " did not finish in " + limit.toSeconds() + " s; its output so far:\n"
                    + text(output));
        }
        reader.join(limit.toMillis()); // the output ends with the program, unless a child it left holds it open
        if (reader.isAlive()) {
            throw new AssertionError(command + " ended, but its output stayed open (a process it left behind?)");
        }
        return new Result(process.exitValue(), text(output));
    }

    /**
     * Runs {@code python3} with {@code args} for at most {@code limit}; a python3 that cannot be
     * started gives exit code -1 and the reason, so that a test can skip where it is missing.
     */
    public static Result python3(Duration limit, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        try {
            return run(command, null, limit);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }

    /** Whether a working {@code python3} is on the PATH. */
    public static boolean python3Works() throws InterruptedException {
        return python3(Duration.ofSeconds(30), "-c", "print(1)").exitCode() == 0;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            if (!"Stream closed".equals(e.getMessage())) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
