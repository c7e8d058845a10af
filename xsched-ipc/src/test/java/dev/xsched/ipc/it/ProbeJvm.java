package dev.xsched.ipc.it;

import dev.xsched.ipc.protocol.FrameChannel;
import dev.xsched.ipc.protocol.Message;

import java.io.IOException;
import java.nio.file.Path;

/** Connects to the server at {@code args[0]}, says hello, prints the answer (or the failure) and exits. */
public final class ProbeJvm {
    private ProbeJvm() {
    }

    public static void main(String[] args) {
        try (FrameChannel channel = FrameChannel.connect(Path.of(args[0]))) {
            channel.send(new Message.Hello(ProcessHandle.current().pid(), "probe", Message.Role.CONTROL));
            System.out.println("answer " + channel.receive());
        } catch (IOException e) {
            System.out.println("failed " + e.getMessage());
        }
    }
}
