package dev.xsched.examples.ipc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Starts another JVM on this program's runtime and paths (module path when run as a module). */
public final class JavaProcesses {
    private JavaProcesses() {
    }

    /** A JVM running {@code main} with {@code args}; its stderr goes to this process's. */
    public static Process start(Class<?> main, List<String> args) throws IOException {
        return start(main, args, Map.of());
    }

    /**
     * A JVM running {@code main} with {@code args} and this process's environment plus
     * {@code environment} (which wins where both name a variable): what a driver reads at start-up,
     * such as an MPS client's {@code CUDA_MPS_CLIENT_PRIORITY}, can only be given this way.
     */
    public static Process start(Class<?> main, List<String> args, Map<String, String> environment) throws IOException {
        return builder(main, args, environment).start();
    }

    /** The process {@link #start(Class, List, Map)} starts, not yet started. */
    static ProcessBuilder builder(Class<?> main, List<String> args, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isBlank() && main.getModule().isNamed()) {
            command.addAll(List.of("--enable-native-access=dev.xsched.hip", "-p", modulePath, "-m",
                    main.getModule().getName() + "/" + main.getName()));
        } else {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp",
                    Objects.requireNonNull(System.getProperty("java.class.path")), main.getName()));
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        return builder;
    }
}
