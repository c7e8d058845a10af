package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerStatesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aStateChangeStampedBeforeTheRoundIsSkippedAndCounted() throws Exception {
        PeerStates states = new PeerStates(new BufferedReader(new StringReader("ready true\nS 5\nR 6\nS 20\nR 30\n")));
        assertThat(states.nextLine(WAIT)).isEqualTo("ready true");
        assertThat(states.await("S", 10, WAIT)).as("the suspend of this round, not the one before it").isEqualTo(20);
        assertThat(states.await("R", 25, WAIT)).isEqualTo(30);
        assertThat(states.skipped()).as("S 5 predates the round; R 6 was passed over while waiting for an S").isEqualTo(1);
    }

    @Test
    void aPeerThatEndsFailsEveryWaitInsteadOfHangingIt() {
        PeerStates states = new PeerStates(new BufferedReader(new StringReader("S 1\n")));
        assertThatThrownBy(() -> states.await("R", 0, WAIT)).isInstanceOf(IOException.class).hasMessage("the peer process ended");
        assertThatThrownBy(() -> states.nextLine(WAIT)).isInstanceOf(IOException.class).hasMessage("the peer process ended");
    }

    @Test
    void aSilentPeerFailsTheWaitAfterItsTimeout() throws IOException {
        try (PipedWriter neverWritten = new PipedWriter(); PipedReader silent = new PipedReader(neverWritten)) {
            PeerStates states = new PeerStates(new BufferedReader(silent));
            assertThatThrownBy(() -> states.await("S", 0, Duration.ofMillis(50)))
                    .isInstanceOf(IOException.class).hasMessageContaining("said nothing");
        }
    }
}
