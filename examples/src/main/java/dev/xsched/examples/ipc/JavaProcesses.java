package dev.xsched.examples.ipc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Starts another JVM on this program's runtime and paths (module path when run as a module), with
 * this JVM's settings that the child's work depends on ({@link #forwardedOptions}).
 */
public final class JavaProcesses {
    /**
     * The heap's size (-Xms, -Xmx, -Xmn, or as -XX options), a collector choice (-XX:+UseZGC, ...)
     * and the unlocking an experimental one needs.
     */
    private static final Pattern MEMORY_OPTION = Pattern.compile("-Xm[sxn].*|-XX:(Max|Min|Initial)HeapSize=.*"
            + "|-XX:(Max|Min|Initial)RAMPercentage=.*|-XX:[+-]Use\\w*GC|-XX:\\+Unlock(Experimental|Diagnostic)VMOptions");
    /**
     * When the JIT compiles: the launcher gives {@code xsched demo} an early threshold, so that the
     * scheduler's decision path runs compiled within seconds rather than minutes, in the HP and LP
     * processes as in one.
     */
    private static final Pattern JIT_OPTION = Pattern.compile("-XX:CompileThresholdScaling=.*");

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
        command.addAll(forwardedOptions(System.getProperties(), ManagementFactory.getRuntimeMXBean().getInputArguments()));
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

    /**
     * The JVM options a child takes from this JVM, so that it runs as this one was configured
     * ({@code XSCHED_JAVA_OPTS} of the launcher reaches both processes of {@code xsched demo --processes 2}):
     * every system property named {@code xsched.*} (the project's settings, such as
     * {@code -Dxsched.resnet.yieldablePool=false}), the heap's size ({@code -Xms}, {@code -Xmx},
     * {@code -Xmn} and their {@code -XX} forms, {@code -XX:MaxRAMPercentage}), the collector
     * ({@code -XX:+UseZGC}, with the unlocking an experimental one needs) and how early the JIT
     * compiles ({@code -XX:CompileThresholdScaling}, which the launcher sets for {@code xsched demo}).
     * Not the other options: a debugger's agent, a flight recording's file or a log file would
     * clash between two processes.
     *
     * @param properties   this JVM's system properties
     * @param jvmArguments this JVM's own arguments (RuntimeMXBean.getInputArguments)
     */
    static List<String> forwardedOptions(Properties properties, List<String> jvmArguments) {
        List<String> options = new ArrayList<>();
        for (String argument : jvmArguments) {
            if (MEMORY_OPTION.matcher(argument).matches() || JIT_OPTION.matcher(argument).matches()) {
                options.add(argument);
            }
        }
        properties.stringPropertyNames().stream().filter(name -> name.startsWith("xsched.")).sorted()
                .forEach(name -> options.add("-D" + name + "=" + properties.getProperty(name)));
        return options;
    }
}
