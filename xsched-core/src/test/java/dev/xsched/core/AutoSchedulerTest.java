package dev.xsched.core;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AutoSchedulerTest {
    private static AutoScheduler read(Map<String, String> env, Map<String, String> props) {
        return AutoScheduler.from(env::get, props::get);
    }

    @Test
    void localIsTheDefaultAndGlobalNamesTheServersSocket() {
        AutoScheduler local = read(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), Map.of());
        assertThat(local.global()).isFalse();
        assertThat(local.socket()).isEqualTo(Path.of("/run/user/1000/xsched/xsched.sock"));

        AutoScheduler global = read(Map.of("XSCHED_SCHEDULER", "GLOBAL", "XSCHED_SERVER_SOCKET", "/run/xsched/xsched.sock"), Map.of());
        assertThat(global).isEqualTo(new AutoScheduler(true, Path.of("/run/xsched/xsched.sock")));

        AutoScheduler property = read(Map.of("XSCHED_SCHEDULER", "global"), Map.of("xsched.scheduler", "local"));
        assertThat(property.global()).as("a system property overrides the variable").isFalse();
        assertThat(read(Map.of(), Map.of()).socket().toString()).matches("/.*/xsched-\\d+/xsched\\.sock");
    }

    @Test
    void anUnknownModeIsRejectedByName() {
        assertThatThrownBy(() -> read(Map.of("XSCHED_SCHEDULER", "GLB"), Map.of()))
                .hasMessage("XSCHED_SCHEDULER must be local or global, got 'glb'");
    }
}
