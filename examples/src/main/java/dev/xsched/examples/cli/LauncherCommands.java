package dev.xsched.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The commands a launcher script runs itself, listed in the help (and the completion) with the
 * others: {@code test} and {@code build} of {@code ./xsched} in a source checkout, {@code gpu-test}
 * and {@code java} of the bundle's {@code bin/xsched}. The launcher says which it is through the
 * system property {@value #PROPERTY} ({@code source} or {@code bundle}); run through this program,
 * such a command is a usage error that says where it runs.
 */
record LauncherCommands(String launcher, List<Entry> entries) {
    static final String PROPERTY = "xsched.launcher";

    /** One command of a launcher script. */
    record Entry(String name, String arguments, String description) {
    }

    static LauncherCommands forLauncher(String launcher) {
        if ("bundle".equals(launcher)) {
            return new LauncherCommands("the bundle's bin/xsched", List.of(
                    new Entry("gpu-test", "JUNIT-ARGS", "the GPU test suite (tag gpu) on this machine's GPU; fails if there is none"),
                    new Entry("java", "MAIN-CLASS ARGS", "runs any main class of the examples module")));
        }
        return new LauncherCommands("the ./xsched script of a source checkout", List.of(
                new Entry("test", "MAVEN-ARGS", "installs the native test dependencies where it can, then runs every test (./mvnw -B verify)"),
                new Entry("build", "", "(re)builds the jars the launcher runs (./mvnw install -DskipTests)")));
    }

    void addTo(CommandLine commandLine) {
        for (Entry entry : entries) {
            String qualified = commandLine.getCommandName() + " " + entry.name();
            Callable<Integer> refuse = () -> {
                throw new ParameterException(commandLine.getSubcommands().get(entry.name()),
                        "runs in " + launcher + ", not in this program");
            };
            CommandSpec spec = CommandSpec.wrapWithoutInspection(refuse).name(entry.name());
            spec.usageMessage().description(entry.description() + " (run by " + launcher + ")");
            spec.parser().unmatchedOptionsArePositionalParams(true); // the launcher passes them on
            if (!entry.arguments().isEmpty()) {
                spec.addPositional(PositionalParamSpec.builder().paramLabel(entry.arguments()).arity("0..*")
                        .type(String[].class).description("passed on by " + qualified).build());
            }
            commandLine.addSubcommand(entry.name(), new CommandLine(spec));
        }
    }
}
