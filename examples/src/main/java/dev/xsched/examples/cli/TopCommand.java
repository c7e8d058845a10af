package dev.xsched.examples.cli;

import dev.xsched.examples.ipc.StatusTable;
import dev.xsched.ipc.client.ControlClient;
import dev.xsched.ipc.protocol.Message;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.TimeUnit;

/** {@code xsched top}: the queues of every process connected to the server, refreshed. */
@Command(name = "top", sortOptions = false,
        description = {"the queues of every process under the scheduler server, refreshed every second",
                "Columns: process id and name, queue (id:name), device (UUID prefix), state (running: has work and may "
                        + "run; held: has work, suspended by the policy; idle), hints, commands submitted and completed "
                        + "(as of the last second), and GPU%%: the part of the interval in which the queue had work and "
                        + "was allowed to run. Ctrl-C ends it."})
final class TopCommand extends Subcommand {
    @Mixin
    ServerSocketOption server = new ServerSocketOption();

    @Option(names = "--once", description = "print one table (shares since each queue appeared) and exit: for scripts")
    boolean once;

    @Option(names = "--interval", paramLabel = "MS", description = "refresh period in milliseconds (default ${DEFAULT-VALUE})")
    long intervalMillis = 1000;

    TopCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws Exception {
        if (intervalMillis < 100) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be >= 100 ms");
        }
        try (ControlClient client = ControlClient.connect(server.path(), "xsched top")) {
            Message.Status previous = null;
            while (true) {
                Message.Status current = client.status();
                if (once) {
                    out().print(StatusTable.format(null, current));
                    return 0;
                }
                out().print("\033[H\033[2J"); // home and clear, like top
                out().print(StatusTable.format(previous, current));
                out().flush();
                previous = current;
                TimeUnit.MILLISECONDS.sleep(intervalMillis);
            }
        }
    }
}
