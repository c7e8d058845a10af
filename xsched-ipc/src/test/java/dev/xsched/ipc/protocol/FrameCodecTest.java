package dev.xsched.ipc.protocol;

import dev.xsched.core.policy.Hint;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {
    private static final UUID GPU = UUID.fromString("f0f1f2f3-f4f5-f6f7-f8f9-fafbfcfdfeff");

    static List<Message> everyMessage() {
        return List.of(
                new Message.Hello(4242, "trainer", Message.Role.SCHEDULING),
                new Message.Hello(1, "top", Message.Role.CONTROL),
                new Message.QueueCreated(7, "online ü", GPU, 16, 8),
                new Message.QueueReady(7, 123_456_789L),
                new Message.QueueIdle(7, 987_654_321L),
                new Message.QueueClosed(7),
                new Message.HintSet(7, new Hint.Priority(-255)),
                new Message.HintSet(7, new Hint.Deadline(5_000_000)),
                new Message.HintSet(7, new Hint.AbsoluteDeadline(-3)),
                new Message.HintSet(7, new Hint.Utilization(75)),
                new Message.HintSet(7, new Hint.Timeslice(1_000)),
                new Message.HintSet(7, new Hint.Laxity(10, -5, 200)),
                new Message.HintSet(7, new Hint.Weight(1024)),
                new Message.BlockedOn(7, 3),
                new Message.BlockedOn(7, -1),
                new Message.QueueCounters(7, 100, 90),
                new Message.PolicyGet(),
                new Message.PolicySet("up", Map.of("timeslice-us", "500")),
                new Message.StatusRequest(),
                new Message.RemoteHint(4242, "online", new Hint.Priority(10)),
                new Message.Pong(0),
                new Message.Pong(Long.MAX_VALUE),
                new Message.StopWordSet(7, "/dev/shm/xsched-1000-4242-stop", 4092),
                new Message.StopWordSet(8, "/tmp/é/xsched-1000-4242-stop-2", 0),
                new Message.RaiseOnReady(7, List.of(new Message.StopWordRef("/dev/shm/xsched-1000-17-stop", 12),
                        new Message.StopWordRef("/dev/shm/xsched-1000-18-stop", 0))),
                new Message.RaiseOnReady(7, List.of()),
                new Message.Welcome(3, "hpf"),
                new Message.Decision(List.of(new Message.QueueDecision(7, true), new Message.QueueDecision(8, false))),
                new Message.PolicyInfo("hpf", List.of("cfs", "hpf")),
                new Message.Status(55, "hpf", 1_234_567, 9_876_543_210L, List.of(new Message.QueueRow(4242, "trainer", 7, "lp", GPU, true, true,
                        "prio=-10", 1000, 990, 5_000, 10_000))),
                new Message.Ping(1),
                new Message.Ping(-7),
                new Message.Ack("ok"),
                new Message.Error("bad"));
    }

    @Test
    void everyMessageSurvivesARoundTrip() throws ProtocolException {
        for (Message message : everyMessage()) {
            ByteBuffer frame = FrameCodec.encode(message);
            assertThat(FrameCodec.peekLength(frame)).isEqualTo(frame.remaining() - 4);
            assertThat(FrameCodec.decode(frame.position(4))).isEqualTo(message);
        }
    }

    @Test
    void theHandshakeCarriesMagicAndVersion() throws ProtocolException {
        assertThat(FrameCodec.VERSION).as("4: the heartbeat's Ping and Pong").isEqualTo((short) 4);
        assertThat(FrameCodec.readHandshake(FrameCodec.handshake((short) 9))).isEqualTo((short) 9);
        ByteBuffer wrong = ByteBuffer.allocate(8).putInt(0x48545450).putShort((short) 1).putShort((short) 0).flip();
        assertThatThrownBy(() -> FrameCodec.readHandshake(wrong)).hasMessageContaining("not an xsched peer");
    }

    @Test
    void everyTruncationOfEveryMessageIsRejected() {
        for (Message message : everyMessage()) {
            ByteBuffer frame = FrameCodec.encode(message).position(4);
            for (int keep = 0; keep < frame.remaining(); keep++) {
                ByteBuffer cut = frame.slice(4, keep);
                assertThatThrownBy(() -> FrameCodec.decode(cut)).isInstanceOf(ProtocolException.class);
            }
        }
    }

    @Test
    void boundsAndValuesAreChecked() throws ProtocolException {
        assertThatThrownBy(() -> FrameCodec.peekLength(ByteBuffer.allocate(4).putInt(0, FrameCodec.MAX_FRAME_BYTES + 1)))
                .hasMessageContaining("outside 1..");
        assertThatThrownBy(() -> FrameCodec.peekLength(ByteBuffer.allocate(4).putInt(0, -1))).hasMessageContaining("4294967295");
        assertThatThrownBy(() -> FrameCodec.peekLength(ByteBuffer.allocate(4))).hasMessageContaining("outside 1..");
        assertThat(FrameCodec.peekLength(ByteBuffer.allocate(3))).isEqualTo(-1);

        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {99})))
                .hasMessage("unknown message type 99");
        // Priority 300: the hint's own range check, reported as a protocol error.
        ByteBuffer hint = ByteBuffer.allocate(1 + 8 + 1 + 4).put((byte) 6).putLong(1).put((byte) 1).putInt(300).flip();
        assertThatThrownBy(() -> FrameCodec.decode(hint)).hasMessageContaining("priority must be in [-255, 255]");
        ByteBuffer unknownHint = ByteBuffer.allocate(1 + 8 + 1).put((byte) 6).putLong(1).put((byte) 42).flip();
        assertThatThrownBy(() -> FrameCodec.decode(unknownHint)).hasMessage("unknown hint type 42");
        ByteBuffer trailing = ByteBuffer.allocate(1 + 8 + 1).put((byte) 5).putLong(1).put((byte) 0).flip();
        assertThatThrownBy(() -> FrameCodec.decode(trailing)).hasMessageContaining("1 unexpected bytes");
        ByteBuffer longString = ByteBuffer.allocate(1 + 2).put((byte) 68).putShort((short) 5000).flip();
        assertThatThrownBy(() -> FrameCodec.decode(longString)).hasMessageContaining("exceeds the limit of 1024");
        ByteBuffer badBool = ByteBuffer.allocate(1 + 2 + 8 + 1).put((byte) 65).putShort((short) 1).putLong(1).put((byte) 7).flip();
        assertThatThrownBy(() -> FrameCodec.decode(badBool)).hasMessage("boolean byte 7");
        ByteBuffer badRole = ByteBuffer.allocate(1 + 8 + 2 + 1).put((byte) 1).putLong(1).putShort((short) 0).put((byte) 9).flip();
        assertThatThrownBy(() -> FrameCodec.decode(badRole)).hasMessage("unknown role 9");
        ByteBuffer zeroThreshold = FrameCodec.encode(new Message.QueueCreated(1, "q", UUID.randomUUID(), 1, 1));
        zeroThreshold.putInt(zeroThreshold.limit() - 8, 0);
        assertThatThrownBy(() -> FrameCodec.decode(zeroThreshold.position(4))).hasMessage("threshold 0 must be >= 1");
        ByteBuffer notUtf8 = ByteBuffer.allocate(1 + 2 + 2).put((byte) 68).putShort((short) 2).put((byte) 0xC3).put((byte) 0x28).flip();
        assertThatThrownBy(() -> FrameCodec.decode(notUtf8)).hasMessage("string is not UTF-8");
    }

    @Test
    void aStopWordMustBeAnAbsolutePathOfBoundedLengthAndAWordOfAStopWordFile() throws ProtocolException {
        String longest = "/" + "x".repeat(FrameCodec.MAX_PATH_BYTES - 1);
        assertThat(new Message.StopWordSet(1, longest, 0).path()).hasSize(FrameCodec.MAX_PATH_BYTES);
        assertThatThrownBy(() -> new Message.StopWordSet(1, longest + "x", 0)).hasMessage("stop-word path of 257 bytes"
                + " exceeds the limit of 256");
        assertThatThrownBy(() -> new Message.StopWordSet(1, "dev/shm/x", 0)).hasMessage("stop-word path 'dev/shm/x' is not absolute");
        assertThatThrownBy(() -> new Message.StopWordRef("", 0)).hasMessage("stop-word path '' is not absolute");
        assertThatThrownBy(() -> new Message.StopWordRef("/a\0b", 0)).isInstanceOf(IllegalArgumentException.class);
        for (long offset : new long[] {-4, 2, 4096, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> new Message.StopWordSet(1, "/x", offset))
                    .hasMessage("stop-word offset " + offset + " is not a multiple of 4 below 4096");
        }

        // The same checks on the wire: a peer's bytes cannot build what the records refuse.
        ByteBuffer relative = FrameCodec.encode(new Message.StopWordSet(1, "/dev/shm/x", 0)).position(4);
        relative.put(4 + 1 + 8 + 2, (byte) 'd'); // the path's first byte
        assertThatThrownBy(() -> FrameCodec.decode(relative)).hasMessage("invalid value: stop-word path 'ddev/shm/x' is not absolute");
        ByteBuffer oddOffset = FrameCodec.encode(new Message.StopWordSet(1, "/dev/shm/x", 0));
        oddOffset.putLong(oddOffset.limit() - 8, 6);
        assertThatThrownBy(() -> FrameCodec.decode(oddOffset.position(4)))
                .hasMessage("invalid value: stop-word offset 6 is not a multiple of 4 below 4096");
        ByteBuffer farOffset = FrameCodec.encode(new Message.RaiseOnReady(1, List.of(new Message.StopWordRef("/x", 0))));
        farOffset.putLong(farOffset.limit() - 8, 1L << 40);
        assertThatThrownBy(() -> FrameCodec.decode(farOffset.position(4)))
                .hasMessage("invalid value: stop-word offset 1099511627776 is not a multiple of 4 below 4096");
        byte[] path = ("/" + "p".repeat(FrameCodec.MAX_PATH_BYTES)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer longPath = ByteBuffer.allocate(1 + 8 + 2 + path.length + 8).put((byte) 13).putLong(1)
                .putShort((short) path.length).put(path).putLong(0).flip();
        assertThatThrownBy(() -> FrameCodec.decode(longPath)).hasMessage("invalid value: stop-word path of 257 bytes"
                + " exceeds the limit of 256");
        ByteBuffer tooMany = ByteBuffer.allocate(1 + 8 + 2).put((byte) 70).putLong(1)
                .putShort((short) (FrameCodec.MAX_RAISE_WORDS + 1)).flip();
        assertThatThrownBy(() -> FrameCodec.decode(tooMany)).hasMessage("list of 257 items exceeds the limit of 256");
        ByteBuffer cutInList = FrameCodec.encode(new Message.RaiseOnReady(1, List.of(new Message.StopWordRef("/x", 0))));
        cutInList.putShort(4 + 1 + 8, (short) 2); // claims a second word it does not carry
        assertThatThrownBy(() -> FrameCodec.decode(cutInList.position(4))).hasMessage("truncated frame");

        java.util.List<Message.StopWordRef> words = java.util.stream.IntStream.rangeClosed(0, FrameCodec.MAX_RAISE_WORDS)
                .mapToObj(i -> new Message.StopWordRef(longest, 4L * (i % 1024))).toList();
        assertThatThrownBy(() -> FrameCodec.encode(new Message.RaiseOnReady(1, words))).hasMessageContaining("exceeds the limit of 256");
        Message full = new Message.RaiseOnReady(1, words.subList(0, FrameCodec.MAX_RAISE_WORDS));
        assertThat(FrameCodec.decode(FrameCodec.encode(full).position(4))).as("the most words, each of the longest path, fit a frame")
                .isEqualTo(full);
    }

    @Test
    void encodingRefusesWhatDoesNotFit() {
        assertThatThrownBy(() -> FrameCodec.encode(new Message.Ack("x".repeat(2000)))).hasMessageContaining("exceeds the limit");
        assertThat(FrameCodec.fit("é".repeat(2000)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(FrameCodec.MAX_STRING_BYTES);
        record Custom() implements Hint {
        }
        assertThat(FrameCodec.isTransferable(new Custom())).isFalse();
        assertThatThrownBy(() -> FrameCodec.encode(new Message.HintSet(1, new Custom()))).hasMessageContaining("cannot cross processes");
    }

    @Test
    void aMissingReasonFitsAsTheEmptyString() throws ProtocolException {
        // An exception without a message must not make the server's error reply throw.
        assertThat(FrameCodec.fit(null)).isEmpty();
        assertThat(FrameCodec.decode(FrameCodec.encode(new Message.Error(FrameCodec.fit(null))).position(4)))
                .isEqualTo(new Message.Error(""));
    }
}
