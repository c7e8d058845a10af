package dev.xsched.examples.cli;

import dev.xsched.ipc.client.ControlClient;
import dev.xsched.ipc.protocol.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code xsched policy [NAME]}: shows or switches the running server's policy. */
@Command(name = "policy", sortOptions = false,
        description = {"shows the running scheduler server's policy, or switches it to NAME",
                "A switch applies to every GPU at once; the new policy receives the queues' current hints."})
final class PolicyCommand extends Subcommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "the policy to switch to ('xsched policies' lists them)")
    String name;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a parameter of the new policy (repeatable)")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Mixin
    ServerSocketOption server = new ServerSocketOption();

    PolicyCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        if (name == null && !parameters.isEmpty()) {
            // Parameters belong to a switch: shown a policy, they would be dropped without a word.
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--param needs the policy NAME to switch to (xsched policy NAME --param " + parameters.keySet().iterator().next()
                            + "=...)");
        }
        try (ControlClient client = ControlClient.connect(server.path(), "xsched policy")) {
            Message.PolicyInfo info;
            try {
                info = name == null ? client.policy() : client.setPolicy(name, parameters);
            } catch (IllegalArgumentException e) {
                terminal.err().println("xsched policy: " + e.getMessage());
                return 1;
            }
            out().println((name == null ? "active policy: " : "switched to: ") + info.active());
            out().println("installed: " + String.join(", ", info.installed()));
            return 0;
        }
    }
}
