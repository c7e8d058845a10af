package dev.xsched.ipc.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientOptionsTest {
    @Test
    void theSpinComesInMicrosecondsAndIsBounded() {
        assertThat(ClientOptions.withSpin(null).spin()).isZero();
        assertThat(ClientOptions.withSpin(" ").spin()).isZero();
        assertThat(ClientOptions.withSpin("200").spin()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(ClientOptions.withSpin("200").countersPeriod()).isEqualTo(ClientOptions.defaults().countersPeriod());
        assertThatThrownBy(() -> ClientOptions.withSpin("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XSCHED_IPC_SPIN_US").hasMessageContaining("'fast'");
        assertThatThrownBy(() -> ClientOptions.withSpin("-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.withSpin("20000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 10 ms");
    }

    @Test
    void theCountersPeriodIsAtLeastAMillisecond() {
        // Zero or less made the I/O thread wake every millisecond to send counters.
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-5), Duration.ofNanos(999_999)}) {
            assertThatThrownBy(() -> new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), bad, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counters period");
        }
        assertThat(new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ZERO)
                .countersPeriod()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void theCrossProcessStopIsOffUnlessSwitchedOn() {
        assertThat(ClientOptions.defaults().remoteStop()).as("opt-in: an armed queue's wait holds context-wide calls").isFalse();
        assertThat(new ClientOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO).remoteStop())
                .isFalse();
        assertThat(ClientOptions.withSettings(null, null).remoteStop()).isFalse();
        assertThat(ClientOptions.withSettings(null, " ").remoteStop()).isFalse();
        assertThat(ClientOptions.withSettings(null, null, true).remoteStop()).as("a program that opts in").isTrue();
        assertThat(ClientOptions.withSettings(null, "false", true).remoteStop()).as("the environment still decides").isFalse();
        assertThat(ClientOptions.withSettings(null, "TRUE").remoteStop()).isTrue();
        assertThat(ClientOptions.withSettings("100", "false").remoteStop()).isFalse();
        assertThat(ClientOptions.withSettings("100", "false").spin()).isEqualTo(Duration.ofNanos(100_000));
        assertThat(ClientOptions.defaults().withRemoteStop(true).remoteStop()).isTrue();
        assertThat(ClientOptions.defaults().withRemoteStop(true).countersPeriod()).isEqualTo(ClientOptions.defaults().countersPeriod());
        assertThatThrownBy(() -> ClientOptions.withSettings(null, "off")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XSCHED_REMOTE_STOP").hasMessageContaining("'off'");
    }
}
