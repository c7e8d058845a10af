package dev.xsched.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * A usage error: one line naming the command and what was wrong (the option and the value it
 * takes, or the unknown command), suggestions where picocli has them, and where the help is;
 * exit status 2.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String command = commandLine.getCommandSpec().qualifiedName();
        err.println(command + ": " + message(e, commandLine));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command + " --help' for the options" + (commandLine.getSubcommands().isEmpty() ? "." : " and commands."));
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String message(ParameterException e, CommandLine commandLine) {
        if (e instanceof UnmatchedArgumentException unmatched && !commandLine.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().getFirst() + "'";
        }
        return e.getMessage();
    }
}
