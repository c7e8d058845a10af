package dev.xsched.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A command of {@code xsched}. To add one: a class extending this one, annotated with
 * {@code @Command(name = ..., description = ...)}, with a constructor taking the {@link Terminal},
 * and its class in the {@code subcommands} list of {@link XschedCommand} (or of a command group
 * such as {@link BenchCommand}). Its {@link #call()} returns the exit status: 0 done, 1 failed;
 * picocli answers usage errors with 2.
 */
public abstract class Subcommand implements Callable<Integer> {
    /** Set by picocli: this command's model (name, options, its {@code CommandLine}). */
    @Spec
    protected CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    protected final Terminal terminal;

    protected Subcommand(Terminal terminal) {
        this.terminal = terminal;
    }

    protected PrintStream out() {
        return terminal.out();
    }

    /**
     * Builds a command's options; a value the options reject ({@link IllegalArgumentException},
     * whose message names the option) becomes a usage error (exit status 2), like a value picocli
     * cannot convert.
     */
    protected <T> T validated(Supplier<T> options) {
        try {
            return options.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
