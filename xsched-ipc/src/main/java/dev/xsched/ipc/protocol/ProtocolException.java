package dev.xsched.ipc.protocol;

/** Malformed or unexpected input on a scheduler connection: the connection is closed with this reason. */
public final class ProtocolException extends Exception {
    public ProtocolException(String reason) {
        super(reason);
    }
}
