package dev.xsched.examples.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code xsched} command: the entry point of the {@code ./xsched} launcher and of the bundle's
 * {@code bin/xsched}. Exit status: 0 done, 1 failed while running, 2 usage error (unknown command
 * or option, bad value).
 */
@Command(name = "xsched",
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "XSched for Java: HIP on the JVM through FFM, and preemptive scheduling of GPU work.",
        subcommands = {
                DemoCommand.class,
                InfoCommand.class,
                PoliciesCommand.class,
                BenchCommand.class,
                StressCommand.class,
                SoakCommand.class,
                ExampleCommand.class,
                ChartCommand.class,
                BreakdownCommand.class,
                ServerCommand.class,
                TopCommand.class,
                PolicyCommand.class,
                HintCommand.class,
                AutoComplete.GenerateCompletion.class,
                CommandLine.HelpCommand.class,
        },
        footerHeading = "%n",
        footer = {
                "'xsched help COMMAND' or 'xsched COMMAND --help' for a command's options.",
                "Without a GPU, every command runs on the simulated platform and says so.",
                "",
                "Environment: HIP_PLATFORM (amd|nvidia|sim), XSCHED_HIP_LIBRARY, ROCM_PATH, XSCHED_CUDA_LIBRARY,",
                "  XSCHED_NVRTC_LIBRARY, XSCHED_CUBLAS_LIBRARY, XSCHED_HIPBLAS_LIBRARY, CUDA_HOME; XSCHED_JAVA_HOME and",
                "  XSCHED_JAVA_OPTS for the launcher.",
                "Exit status: 0 done, 1 failed while running, 2 usage error.",
                "Shell completion: source <(xsched generate-completion)",
        })
public final class XschedCommand extends CommandGroup {
    /** Wide enough for the command list and the options' descriptions on one line each where possible. */
    static final int USAGE_WIDTH = 100;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    private XschedCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), Terminal.system()));
    }

    /** Runs one command line; returns the exit status. */
    public static int run(List<String> args, Terminal terminal) {
        return execute(commandLine(terminal), args, terminal);
    }

    /**
     * Runs {@code args} on {@code commandLine}. An {@link Error} out of a command (a native library
     * that does not link, a class that fails to initialise, memory exhausted) is reported as its
     * exceptions are, in one line per cause with exit status 1, not as a stack trace on the JVM's
     * way out; {@code XSCHED_DEBUG=1} adds the trace.
     */
    static int execute(CommandLine commandLine, List<String> args, Terminal terminal) {
        try {
            return commandLine.execute(args.toArray(String[]::new));
        } catch (Error e) {
            // picocli hands exceptions to FailureHandler and lets an Error through; the command is
            // named by its first argument.
            return new FailureHandler(terminal.err()).report("xsched" + (args.isEmpty() ? "" : " " + args.getFirst()), e);
        }
    }

    /** The whole command tree, writing to {@code terminal}. */
    static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new XschedCommand(), new CommandFactory(terminal));
        // picocli hides its completion command; xsched lists it, the bundle ships its output.
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false)
                .description("a bash/zsh completion script for xsched: source <(xsched generate-completion)");
        commandLine.getSubcommands().get("help").getCommandSpec().usageMessage()
                .header("a command's help: xsched help COMMAND");
        LauncherCommands.forLauncher(System.getProperty(LauncherCommands.PROPERTY)).addTo(commandLine);
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                new CommandListSection());
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        commandLine.setOut(writer(terminal.out()));
        commandLine.setErr(writer(terminal.err()));
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler(terminal.err()));
        return commandLine;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
