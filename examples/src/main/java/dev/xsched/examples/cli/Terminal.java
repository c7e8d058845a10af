package dev.xsched.examples.cli;

import java.io.PrintStream;

/**
 * Where a command writes: {@code out} for what it reports, {@code err} for diagnostics. Injected
 * into every command (see {@link CommandFactory}) so tests capture both.
 */
public record Terminal(PrintStream out, PrintStream err) {
    /** The process's standard output and error. */
    public static Terminal system() {
        return new Terminal(System.out, System.err);
    }
}
