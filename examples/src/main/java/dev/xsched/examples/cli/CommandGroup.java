package dev.xsched.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A command that only groups others ({@code bench}, {@code example}, {@code xsched} itself):
 * without one of them it prints its usage to standard error, a usage error (exit status 2).
 */
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() {
        var commandLine = spec.commandLine();
        commandLine.getErr().println(spec.qualifiedName() + ": name a command");
        commandLine.usage(commandLine.getErr());
        return spec.exitCodeOnInvalidInput();
    }
}
