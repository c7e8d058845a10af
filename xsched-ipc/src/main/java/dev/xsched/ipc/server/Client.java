package dev.xsched.ipc.server;

import dev.xsched.ipc.protocol.Message;

import java.util.HashMap;
import java.util.Map;

/** A connected process as the coordinator sees it. */
final class Client {
    final long id;
    final long pid;
    final String process;
    final Message.Role role;
    /** Its queues by the client's own ids. */
    final Map<Long, ServerQueue> queues = new HashMap<>();

    Client(long id, long pid, String process, Message.Role role) {
        this.id = id;
        this.pid = pid;
        this.process = process;
        this.role = role;
    }

    @Override
    public String toString() {
        return "client " + id + " (pid " + pid + ", " + process + ")";
    }
}
