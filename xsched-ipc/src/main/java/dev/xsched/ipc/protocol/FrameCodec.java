package dev.xsched.ipc.protocol;

import dev.xsched.core.policy.Hint;
import dev.xsched.ipc.protocol.Message.QueueDecision;
import dev.xsched.ipc.protocol.Message.QueueRow;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The wire format, big-endian throughout.
 *
 * <p>Handshake, once per connection, 8 bytes each way: {@code int magic} ({@link #MAGIC}),
 * {@code short version}, {@code short 0}. The client sends first; the server answers with its own
 * version. Versions must match: otherwise the server follows its answer with an {@link Message.Error}
 * frame and closes.
 *
 * <p>Then frames: {@code int length} (of what follows, 1 to {@link #MAX_FRAME_BYTES}), {@code byte type},
 * payload. Strings are {@code short} byte count + UTF-8 (at most {@link #MAX_STRING_BYTES}); UUIDs
 * two longs; booleans a byte 0 or 1; lists a {@code short} count then the items. Every length and
 * count is checked against its bound and against the bytes left in the frame, and a frame must be
 * consumed exactly: anything else is a {@link ProtocolException}.
 */
public final class FrameCodec {
    /** The handshake's first four bytes, "XSCD" in ASCII: rejects peers that are not xsched. */
    public static final int MAGIC = 0x58534344; // "XSCD"
    /** The protocol version this code speaks; a peer must speak the same. */
    public static final short VERSION = 4;
    /** The size of a handshake: magic, version, a reserved zero short. */
    public static final int HANDSHAKE_BYTES = 8;
    /** The largest frame body (type and payload) either side sends or accepts: 256 KiB. */
    public static final int MAX_FRAME_BYTES = 256 * 1024;
    /** The longest string, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 1024;
    /** The most items of a list (decisions, status rows, installed policies). */
    public static final int MAX_LIST_ITEMS = 4096;
    /**
     * The longest stop-word file path, in UTF-8 bytes: such files live in {@code /dev/shm} or the
     * temporary folder under short names.
     */
    public static final int MAX_PATH_BYTES = 256;
    /**
     * The most stop words one {@link Message.RaiseOnReady} carries: each is a store on the
     * submitting thread of a queue turning ready, and a frame must hold them all.
     */
    public static final int MAX_RAISE_WORDS = 256;
    private static final int MAX_PARAMETERS = 64;

    // Message types: client to server below 64, server to client from 64.
    static final byte HELLO = 1;
    static final byte QUEUE_CREATED = 2;
    static final byte QUEUE_READY = 3;
    static final byte QUEUE_IDLE = 4;
    static final byte QUEUE_CLOSED = 5;
    static final byte HINT_SET = 6;
    static final byte BLOCKED_ON = 7;
    static final byte QUEUE_COUNTERS = 8;
    static final byte POLICY_GET = 9;
    static final byte POLICY_SET = 10;
    static final byte STATUS_REQUEST = 11;
    static final byte REMOTE_HINT = 12;
    static final byte STOP_WORD_SET = 13;
    static final byte PONG = 14;
    static final byte WELCOME = 64;
    static final byte DECISION = 65;
    static final byte POLICY_INFO = 66;
    static final byte STATUS = 67;
    static final byte ACK = 68;
    static final byte ERROR = 69;
    static final byte RAISE_ON_READY = 70;
    static final byte PING = 71;

    // Hint tags.
    private static final byte PRIORITY = 1;
    private static final byte DEADLINE = 2;
    private static final byte ABSOLUTE_DEADLINE = 3;
    private static final byte UTILIZATION = 4;
    private static final byte TIMESLICE = 5;
    private static final byte LAXITY = 6;
    private static final byte WEIGHT = 7;

    private FrameCodec() {
    }

    // ---- handshake -------------------------------------------------------------------------

    /**
     * A handshake announcing {@code version}.
     *
     * @param version normally {@link #VERSION}; others only in tests of the mismatch
     * @return {@link #HANDSHAKE_BYTES} bytes in read mode, ready to write
     */
    public static ByteBuffer handshake(short version) {
        return ByteBuffer.allocate(HANDSHAKE_BYTES).putInt(MAGIC).putShort(version).putShort((short) 0).flip();
    }

    /**
     * Reads the peer's handshake ({@link #HANDSHAKE_BYTES} bytes). The version is returned, not
     * judged: the caller decides what a mismatch means.
     *
     * @param in holds at least {@link #HANDSHAKE_BYTES} bytes, in read mode; they are consumed
     * @return the peer's protocol version
     * @throws ProtocolException on a wrong magic number
     */
    public static short readHandshake(ByteBuffer in) throws ProtocolException {
        int magic = in.getInt();
        short version = in.getShort();
        in.getShort();
        if (magic != MAGIC) {
            throw new ProtocolException(String.format("not an xsched peer: magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        return version;
    }

    /**
     * Whether a hint of this type can cross a process boundary (the built-in ones can; a policy's
     * own cannot, since the server could not build it).
     *
     * @param hint the hint
     * @return true for the records nested in {@link Hint}
     */
    public static boolean isTransferable(Hint hint) {
        return hint instanceof Hint.Priority || hint instanceof Hint.Deadline || hint instanceof Hint.AbsoluteDeadline
                || hint instanceof Hint.Utilization || hint instanceof Hint.Timeslice || hint instanceof Hint.Laxity
                || hint instanceof Hint.Weight;
    }

    // ---- encoding --------------------------------------------------------------------------

    /**
     * One frame, length prefix included, ready to write. Thread-safe (no shared state).
     *
     * @param message the message
     * @return a new buffer in read mode holding the whole frame
     * @throws IllegalArgumentException if the message does not fit the protocol's bounds (a string,
     *         list or frame too long, a hint that is not {@linkplain #isTransferable transferable})
     */
    public static ByteBuffer encode(Message message) {
        Writer w = new Writer();
        switch (message) {
            case Message.Hello m -> w.type(HELLO).i64(m.pid()).str(m.process()).u8(m.role().ordinal());
            case Message.QueueCreated m -> w.type(QUEUE_CREATED).i64(m.queueId()).str(m.name()).uuid(m.device())
                    .i32(m.threshold()).i32(m.batchSize());
            case Message.QueueReady m -> w.type(QUEUE_READY).i64(m.queueId()).i64(m.at());
            case Message.QueueIdle m -> w.type(QUEUE_IDLE).i64(m.queueId()).i64(m.at());
            case Message.QueueClosed m -> w.type(QUEUE_CLOSED).i64(m.queueId());
            case Message.HintSet m -> w.type(HINT_SET).i64(m.queueId()).hint(m.hint());
            case Message.BlockedOn m -> w.type(BLOCKED_ON).i64(m.queueId()).i64(m.producerId());
            case Message.QueueCounters m -> w.type(QUEUE_COUNTERS).i64(m.queueId()).i64(m.submitted()).i64(m.completed());
            case Message.PolicyGet m -> w.type(POLICY_GET);
            case Message.PolicySet m -> {
                w.type(POLICY_SET).str(m.name()).count(m.parameters().size(), MAX_PARAMETERS);
                m.parameters().forEach((k, v) -> w.str(k).str(v));
            }
            case Message.StatusRequest m -> w.type(STATUS_REQUEST);
            case Message.RemoteHint m -> w.type(REMOTE_HINT).i64(m.pid()).str(m.queue()).hint(m.hint());
            case Message.StopWordSet m -> w.type(STOP_WORD_SET).i64(m.queueId()).str(m.path()).i64(m.offset());
            case Message.Pong m -> w.type(PONG).i64(m.sequence());
            case Message.Welcome m -> w.type(WELCOME).i64(m.clientId()).str(m.policy());
            case Message.Decision m -> {
                w.type(DECISION).count(m.queues().size(), MAX_LIST_ITEMS);
                m.queues().forEach(q -> w.i64(q.queueId()).bool(q.suspended()));
            }
            case Message.PolicyInfo m -> {
                w.type(POLICY_INFO).str(m.active()).count(m.installed().size(), MAX_LIST_ITEMS);
                m.installed().forEach(w::str);
            }
            case Message.Status m -> {
                w.type(STATUS).i64(m.now()).str(m.policy()).i64(m.serverThreadCpuNanos()).i64(m.serverProcessCpuNanos())
                        .count(m.queues().size(), MAX_LIST_ITEMS);
                for (QueueRow r : m.queues()) {
                    w.i64(r.pid()).str(r.process()).i64(r.queueId()).str(r.name()).uuid(r.device()).bool(r.ready())
                            .bool(r.suspended()).str(r.hints()).i64(r.submitted()).i64(r.completed()).i64(r.heldNanos())
                            .i64(r.ageNanos());
                }
            }
            case Message.Ack m -> w.type(ACK).str(m.message());
            case Message.Error m -> w.type(ERROR).str(m.reason());
            case Message.RaiseOnReady m -> {
                w.type(RAISE_ON_READY).i64(m.queueId()).count(m.words().size(), MAX_RAISE_WORDS);
                m.words().forEach(word -> w.str(word.path()).i64(word.offset()));
            }
            case Message.Ping m -> w.type(PING).i64(m.sequence());
        }
        return w.finish();
    }

    /**
     * Shortens {@code s} to fit a protocol string, cutting whole characters off its end: for names
     * and reasons that come from outside and must not make a message unsendable.
     *
     * @param s any string, or null (an exception's missing message), which becomes the empty string
     * @return {@code s} itself if it fits, else a prefix of at most {@link #MAX_STRING_BYTES} UTF-8 bytes
     */
    public static String fit(String s) {
        if (s == null) {
            return "";
        }
        // A UTF-16 unit is at most 3 UTF-8 bytes; dividing the bound cannot overflow as s.length() * 3 can.
        if (s.length() <= MAX_STRING_BYTES / 3) {
            return s;
        }
        String t = s;
        while (t.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            t = t.substring(0, t.length() - Math.max(1, t.length() / 8));
        }
        return t;
    }

    private static final class Writer {
        private ByteBuffer b = ByteBuffer.allocate(128).position(4);

        private void room(int n) {
            if (b.remaining() < n) {
                int needed = b.position() + n;
                if (needed - 4 > MAX_FRAME_BYTES) {
                    throw new IllegalArgumentException("message exceeds the frame limit of " + MAX_FRAME_BYTES + " bytes");
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_FRAME_BYTES + 4, Math.max(needed, b.capacity() * 2)));
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        Writer type(byte type) {
            return u8(type);
        }

        Writer u8(int v) {
            room(1);
            b.put((byte) v);
            return this;
        }

        Writer bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Writer i32(int v) {
            room(4);
            b.putInt(v);
            return this;
        }

        Writer i64(long v) {
            room(8);
            b.putLong(v);
            return this;
        }

        Writer uuid(UUID u) {
            return i64(u.getMostSignificantBits()).i64(u.getLeastSignificantBits());
        }

        Writer count(int n, int max) {
            if (n > max) {
                throw new IllegalArgumentException("list of " + n + " items exceeds the limit of " + max);
            }
            room(2);
            b.putShort((short) n);
            return this;
        }

        Writer str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException("string of " + bytes.length + " bytes exceeds the limit of " + MAX_STRING_BYTES);
            }
            room(2 + bytes.length);
            b.putShort((short) bytes.length).put(bytes);
            return this;
        }

        Writer hint(Hint hint) {
            switch (hint) {
                case Hint.Priority h -> u8(PRIORITY).i32(h.value());
                case Hint.Deadline h -> u8(DEADLINE).i64(h.nanos());
                case Hint.AbsoluteDeadline h -> u8(ABSOLUTE_DEADLINE).i64(h.atNanos());
                case Hint.Utilization h -> u8(UTILIZATION).i32(h.percent());
                case Hint.Timeslice h -> u8(TIMESLICE).i64(h.nanos());
                case Hint.Laxity h -> u8(LAXITY).i64(h.laxityNanos()).i32(h.lowPriority()).i32(h.criticalPriority());
                case Hint.Weight h -> u8(WEIGHT).i32(h.value());
                default -> throw new IllegalArgumentException("hint type " + hint.getClass().getName()
                        + " cannot cross processes; built-in hints can");
            }
            return this;
        }

        ByteBuffer finish() {
            int length = b.position() - 4;
            b.putInt(0, length);
            return b.flip();
        }
    }

    // ---- decoding --------------------------------------------------------------------------

    /**
     * Decodes one frame body ({@code type} byte and payload, without the length prefix). Never
     * throws anything but {@link ProtocolException} for bad input, whatever the bytes.
     *
     * @param frame the body, in read mode, exactly one frame long; it is consumed
     * @return the message
     * @throws ProtocolException for an unknown type, a truncated or overlong payload, or a value out of range
     */
    public static Message decode(ByteBuffer frame) throws ProtocolException {
        Reader r = new Reader(frame);
        try {
            byte type = frame.get();
            Message message = switch (type) {
                case HELLO -> new Message.Hello(r.i64(), r.str(), r.role());
                case QUEUE_CREATED -> new Message.QueueCreated(r.i64(), r.str(), r.uuid(), r.positive("threshold"),
                        r.positive("batch size"));
                case QUEUE_READY -> new Message.QueueReady(r.i64(), r.i64());
                case QUEUE_IDLE -> new Message.QueueIdle(r.i64(), r.i64());
                case QUEUE_CLOSED -> new Message.QueueClosed(r.i64());
                case HINT_SET -> new Message.HintSet(r.i64(), r.hint());
                case BLOCKED_ON -> new Message.BlockedOn(r.i64(), r.i64());
                case QUEUE_COUNTERS -> new Message.QueueCounters(r.i64(), r.i64(), r.i64());
                case POLICY_GET -> new Message.PolicyGet();
                case POLICY_SET -> {
                    String name = r.str();
                    int n = r.count(MAX_PARAMETERS);
                    Map<String, String> parameters = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        parameters.put(r.str(), r.str());
                    }
                    yield new Message.PolicySet(name, parameters);
                }
                case STATUS_REQUEST -> new Message.StatusRequest();
                case REMOTE_HINT -> new Message.RemoteHint(r.i64(), r.str(), r.hint());
                case STOP_WORD_SET -> new Message.StopWordSet(r.i64(), r.str(), r.i64());
                case PONG -> new Message.Pong(r.i64());
                case WELCOME -> new Message.Welcome(r.i64(), r.str());
                case DECISION -> {
                    int n = r.count(MAX_LIST_ITEMS);
                    List<QueueDecision> queues = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        queues.add(new QueueDecision(r.i64(), r.bool()));
                    }
                    yield new Message.Decision(queues);
                }
                case POLICY_INFO -> {
                    String active = r.str();
                    int n = r.count(MAX_LIST_ITEMS);
                    List<String> installed = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        installed.add(r.str());
                    }
                    yield new Message.PolicyInfo(active, installed);
                }
                case STATUS -> {
                    long now = r.i64();
                    String policy = r.str();
                    long threadCpu = r.i64();
                    long processCpu = r.i64();
                    int n = r.count(MAX_LIST_ITEMS);
                    List<QueueRow> rows = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        rows.add(new QueueRow(r.i64(), r.str(), r.i64(), r.str(), r.uuid(), r.bool(), r.bool(), r.str(),
                                r.i64(), r.i64(), r.i64(), r.i64()));
                    }
                    yield new Message.Status(now, policy, threadCpu, processCpu, rows);
                }
                case ACK -> new Message.Ack(r.str());
                case ERROR -> new Message.Error(r.str());
                case RAISE_ON_READY -> {
                    long queueId = r.i64();
                    int n = r.count(MAX_RAISE_WORDS);
                    List<Message.StopWordRef> words = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        words.add(new Message.StopWordRef(r.str(), r.i64()));
                    }
                    yield new Message.RaiseOnReady(queueId, words);
                }
                case PING -> new Message.Ping(r.i64());
                default -> throw new ProtocolException("unknown message type " + type);
            };
            if (frame.hasRemaining()) {
                throw new ProtocolException(frame.remaining() + " unexpected bytes after a message of type " + type);
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated frame");
        } catch (IllegalArgumentException e) {
            // A value the message's own checks reject, for example a priority out of range.
            throw new ProtocolException("invalid value: " + e.getMessage());
        }
    }

    /**
     * The length of the next frame if {@code in} (in read mode) holds its 4-byte prefix, else -1.
     * Reads without consuming: the position is unchanged.
     *
     * @param in received bytes, in read mode
     * @return the body's length in bytes, or -1 if fewer than 4 bytes are there
     * @throws ProtocolException for a length outside 1..{@link #MAX_FRAME_BYTES}
     */
    public static int peekLength(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < 4) {
            return -1;
        }
        int length = in.getInt(in.position());
        if (length < 1 || length > MAX_FRAME_BYTES) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length) + " outside 1.." + MAX_FRAME_BYTES);
        }
        return length;
    }

    private record Reader(ByteBuffer b) {
        long i64() {
            return b.getLong();
        }

        int i32() {
            return b.getInt();
        }

        boolean bool() throws ProtocolException {
            byte v = b.get();
            if (v != 0 && v != 1) {
                throw new ProtocolException("boolean byte " + v);
            }
            return v == 1;
        }

        int positive(String what) throws ProtocolException {
            int v = b.getInt();
            if (v < 1) {
                throw new ProtocolException(what + " " + v + " must be >= 1");
            }
            return v;
        }

        UUID uuid() {
            return new UUID(b.getLong(), b.getLong());
        }

        int count(int max) throws ProtocolException {
            int n = Short.toUnsignedInt(b.getShort());
            if (n > max) {
                throw new ProtocolException("list of " + n + " items exceeds the limit of " + max);
            }
            return n;
        }

        String str() throws ProtocolException {
            int n = Short.toUnsignedInt(b.getShort());
            if (n > MAX_STRING_BYTES) {
                throw new ProtocolException("string of " + n + " bytes exceeds the limit of " + MAX_STRING_BYTES);
            }
            if (n > b.remaining()) {
                throw new ProtocolException("truncated frame");
            }
            ByteBuffer slice = b.slice(b.position(), n);
            b.position(b.position() + n);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new ProtocolException("string is not UTF-8");
            }
        }

        Message.Role role() throws ProtocolException {
            int v = b.get();
            if (v < 0 || v >= Message.Role.values().length) {
                throw new ProtocolException("unknown role " + v);
            }
            return Message.Role.values()[v];
        }

        Hint hint() throws ProtocolException {
            byte tag = b.get();
            return switch (tag) {
                case PRIORITY -> new Hint.Priority(i32());
                case DEADLINE -> new Hint.Deadline(i64());
                case ABSOLUTE_DEADLINE -> new Hint.AbsoluteDeadline(i64());
                case UTILIZATION -> new Hint.Utilization(i32());
                case TIMESLICE -> new Hint.Timeslice(i64());
                case LAXITY -> new Hint.Laxity(i64(), i32(), i32());
                case WEIGHT -> new Hint.Weight(i32());
                default -> throw new ProtocolException("unknown hint type " + tag);
            };
        }
    }
}
