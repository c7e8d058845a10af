package dev.xsched.ipc.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A {@link ClientJvm} in its own JVM, started with this test run's classes, and its stdin/stdout. */
final class ClientProcess implements AutoCloseable {
    final Process process;
    private final BufferedReader out;
    private final PrintStream in;

    private ClientProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static ClientProcess start(Path socket, String name, int priority, Path log) throws IOException {
        return start(socket, name, priority, log, List.of());
    }

    /** A client JVM with extra JVM options (system properties such as the scheduler's). */
    static ClientProcess start(Path socket, String name, int priority, Path log, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1"); // these JVMs live seconds on a small machine
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(ClientJvm.class.getName());
        command.add(socket.toString());
        command.add(name);
        command.add(Integer.toString(priority));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        ClientProcess client = new ClientProcess(process);
        String first = client.readLine();
        if (!first.startsWith("started")) {
            throw new IllegalStateException(name + " did not start: " + first);
        }
        return client;
    }

    /**
     * This run's classes and libraries as one class path: surefire puts the tests' own classes in
     * a patch of the module (neither path), the library modules on the module path.
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        try {
            entries.add(Path.of(ClientJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    String ask(String command) throws IOException {
        in.println(command);
        return readLine();
    }

    private String readLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the client process ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        return line;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                in.println("exit");
                readLine();
                process.waitFor();
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
