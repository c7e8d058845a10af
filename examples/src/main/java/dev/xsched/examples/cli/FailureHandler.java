package dev.xsched.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;

/**
 * A command that failed while running: its name and the error, with the chain of causes (the
 * stack trace with {@code XSCHED_DEBUG=1}); exit status 1. picocli hands it exceptions only;
 * {@link XschedCommand#execute} reports an {@link Error} the same way.
 */
final class FailureHandler implements IExecutionExceptionHandler {
    static final int FAILED = 1;
    private final PrintStream err;

    FailureHandler(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof ParameterException usageError) {
            // An option value a command rejected once it saw them all (Subcommand.validated).
            return new UsageErrorHandler().handleParseException(usageError, parseResult.originalArgs().toArray(String[]::new));
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return report(commandLine.getCommandSpec().qualifiedName(), e);
    }

    /**
     * Reports a failure of {@code command} as every command's failures are reported: its message
     * and its causes', the stack trace only with {@code XSCHED_DEBUG=1}.
     *
     * @return {@link #FAILED}
     */
    int report(String command, Throwable e) {
        err.println(command + ": " + describe(e));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            err.println("  caused by: " + describe(cause));
        }
        if ("1".equals(System.getenv("XSCHED_DEBUG"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName() : message;
    }
}
