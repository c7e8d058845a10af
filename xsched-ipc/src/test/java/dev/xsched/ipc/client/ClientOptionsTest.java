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
}
