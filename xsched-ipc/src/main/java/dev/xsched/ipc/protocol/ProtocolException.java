package dev.xsched.ipc.protocol;

/** Malformed or unexpected input on a scheduler connection: the connection is closed with this reason. */
public final class ProtocolException extends Exception {
    /**
     * An exception without a cause: the reason says what was wrong with the input.
     *
     * @param reason one line, sent to the peer (shortened to fit) and logged
     */
    public ProtocolException(String reason) {
        super(reason);
    }
}
