package dev.xsched.hip.internal.nvidia;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How NVRTC options choose between a CUBIN and PTX, without NVRTC. */
class NvrtcTargetTest {
    private static final Set<Integer> NVRTC_13 = Set.of(75, 80, 86, 87, 88, 89, 90, 100, 103, 110, 120, 121);

    @Test
    void aRealArchitectureGivesACubinAndAVirtualOnePtx() {
        assertThat(new NvrtcTarget("sm_90").producesPtx()).isFalse();
        assertThat(new NvrtcTarget("sm_90a").producesPtx()).isFalse();
        assertThat(new NvrtcTarget("compute_90").producesPtx()).isTrue();
        assertThat(new NvrtcTarget("sm_90a").number()).isEqualTo(90);
        assertThat(new NvrtcTarget("sm_90").option()).isEqualTo("--gpu-architecture=sm_90");
        assertThatThrownBy(() -> new NvrtcTarget("gfx90a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an NVRTC architecture");
    }

    @Test
    void theArchitectureIsReadFromEverySpellingOfTheOption() {
        assertThat(NvrtcTarget.fromOptions(List.of("-lineinfo", "--gpu-architecture=compute_80"))).contains(new NvrtcTarget("compute_80"));
        assertThat(NvrtcTarget.fromOptions(List.of("-arch=sm_86"))).contains(new NvrtcTarget("sm_86"));
        assertThat(NvrtcTarget.fromOptions(List.of("-arch", "sm_90"))).contains(new NvrtcTarget("sm_90"));
        assertThat(NvrtcTarget.fromOptions(List.of("--gpu-architecture", "compute_90"))).contains(new NvrtcTarget("compute_90"));
        assertThat(NvrtcTarget.fromOptions(List.of("-lineinfo"))).isEmpty();
        assertThatThrownBy(() -> NvrtcTarget.fromOptions(List.of("-arch"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hiprtcsTargetOptionIsRejectedWithTheNvidiaSpelling() {
        assertThatThrownBy(() -> NvrtcTarget.fromOptions(List.of("--offload-arch=gfx90a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hiprtc (AMD) option").hasMessageContaining("--gpu-architecture=sm_XX");
    }

    @Test
    void theDefaultIsTheDevicesOwnCubinOrPtxForTheNewestArchitectureBelowIt() {
        assertThat(NvrtcTarget.defaultFor("sm_90", NVRTC_13)).isEqualTo(new NvrtcTarget("sm_90"));
        assertThat(NvrtcTarget.defaultFor("sm_90", Set.of())).isEqualTo(new NvrtcTarget("sm_90"));
        // A GPU newer than the NVRTC found: PTX the driver compiles for it at load time.
        assertThat(NvrtcTarget.defaultFor("sm_130", NVRTC_13)).isEqualTo(new NvrtcTarget("compute_121"));
        assertThatThrownBy(() -> NvrtcTarget.defaultFor("sm_50", NVRTC_13)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anArchitectureNvrtcDoesNotListIsRejectedBeforeNvrtcSeesIt() {
        new NvrtcTarget("sm_90a").checkSupported(NVRTC_13, "NVRTC 13.0");
        assertThatThrownBy(() -> new NvrtcTarget("sm_35").checkSupported(NVRTC_13, "NVRTC 13.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NVRTC 13.0 cannot compile for 'sm_35'").hasMessageContaining("[75, 80");
    }
}
