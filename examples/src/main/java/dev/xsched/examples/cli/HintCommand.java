package dev.xsched.examples.cli;

import dev.xsched.core.policy.Hint;
import dev.xsched.examples.ipc.HintSpec;
import dev.xsched.ipc.client.ControlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code xsched hint PID/QUEUE HINT...}: gives a queue of another process hints through the server. */
@Command(name = "hint", sortOptions = false,
        description = {"gives a queue of a process under the scheduler server one or more hints",
                "QUEUE is the queue's name or id as 'xsched top' shows them. HINT: " + HintSpec.FORMS + "."})
final class HintCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "PID/QUEUE", description = "the process id and the queue, for example 4242/online")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "HINT", description = "for example priority=10")
    List<String> hints = new ArrayList<>();

    @Mixin
    ServerSocketOption server = new ServerSocketOption();

    HintCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        int slash = target.indexOf('/');
        long pid = validated(() -> {
            try {
                if (slash < 1 || slash == target.length() - 1) {
                    throw new NumberFormatException();
                }
                return Long.parseLong(target.substring(0, slash));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PID/QUEUE must look like 4242/online, got '" + target + "'");
            }
        });
        List<Hint> parsed = validated(() -> hints.stream().map(HintSpec::parse).toList());
        try (ControlClient client = ControlClient.connect(server.path(), "xsched hint")) {
            // One message per hint: a refusal part way (the queue closed meanwhile) leaves the
            // earlier hints applied, so the error says which were and which were never sent.
            for (int i = 0; i < parsed.size(); i++) {
                try {
                    out().println(client.hint(pid, target.substring(slash + 1), parsed.get(i)));
                } catch (IllegalArgumentException e) {
                    terminal.err().println("xsched hint: " + refusal(hints, i, e.getMessage()));
                    return 1;
                } catch (IOException e) {
                    if (i == 0) {
                        throw e; // nothing applied: the connection's failure as any command reports it
                    }
                    terminal.err().println("xsched hint: " + outcome(hints, i, "not confirmed, the connection failed ("
                            + e.getMessage() + ")"));
                    return 1;
                }
            }
            return 0;
        }
    }

    /** The server refused {@code hints.get(index)}: what was applied before it and what was not sent. */
    static String refusal(List<String> hints, int index, String reason) {
        return outcome(hints, index, "refused: " + reason);
    }

    /** What became of {@code hints.get(index)}, with what was applied before it and what was not sent. */
    static String outcome(List<String> hints, int index, String what) {
        String text = hints.get(index) + " " + what;
        if (hints.size() == 1) {
            return text;
        }
        text = "hint " + (index + 1) + " of " + hints.size() + ", " + text;
        text += index == 0 ? "; none applied" : "; applied before it: " + String.join(" ", hints.subList(0, index));
        return index == hints.size() - 1 ? text : text + "; not sent: " + String.join(" ", hints.subList(index + 1, hints.size()));
    }
}
