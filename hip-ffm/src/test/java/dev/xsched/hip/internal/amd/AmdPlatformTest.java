package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AMD platform against the real libamdhip64 (CI installs Debian's libamdhip64-5). On a
 * machine without an AMD GPU the runtime loads and reports hipErrorNoDevice.
 */
class AmdPlatformTest {
    private static Availability probe;

    @BeforeAll
    static void probe() {
        probe = Hip.load("amd");
        assumeTrue(probe.available(), () -> "libamdhip64 is not installed here: " + probe.describe());
    }

    @Test
    void loadsTheRuntimeAndReportsItsVersion() {
        HipPlatform amd = Hip.open("amd");
        assertThat(amd.name()).isEqualTo("amd");
        assertThat(amd.isSimulated()).isFalse();
        assertThat(amd.runtimeVersion()).matches("HIP runtime \\d+\\.\\d+\\.\\d+ \\(.*libamdhip64\\.so.*\\)");
        assertThat(probe.attempts()).anyMatch(a -> a.contains(": loaded "));
    }

    @Test
    void withoutDevicesTheCountIsZeroAndTheReasonNamesTheHipError() {
        HipPlatform amd = Hip.open("amd");
        assumeTrue(amd.deviceCount() == 0, "an AMD GPU is present; this test covers machines without one");
        assertThat(amd.noDeviceReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("hipErrorNoDevice").contains("(100)"));
        assertThat(probe.hasDevices()).isFalse();
        assertThat(probe.summary()).contains("no AMD device").contains("hipErrorNoDevice");
        assertThat(amd.devices()).isEmpty();
    }

    @Test
    void errorNamesAndMessagesComeFromTheRuntime() {
        Hip.open("amd");
        assertThat(HipCalls.errorName(0)).isEqualTo("hipSuccess");
        assertThat(HipCalls.errorName(2)).isEqualTo("hipErrorOutOfMemory");
        assertThat(HipCalls.errorName(100)).isEqualTo("hipErrorNoDevice");
        assertThat(HipCalls.errorName(700)).isEqualTo("hipErrorIllegalAddress");
        assertThat(HipCalls.errorString(2)).isNotBlank();
        assertThat(HipCalls.failure(101, "hipSetDevice(7)"))
                .hasMessageStartingWith("hipSetDevice(7) failed: hipErrorInvalidDevice (101): ")
                .satisfies(e -> assertThat(e.call()).isEqualTo("hipSetDevice(7)"));
    }

    @Test
    void hipVersionsAreDecodedAsMajorMinorPatch() {
        assertThat(AmdPlatform.formatHipVersion(50221153)).isEqualTo("5.2.21153");
        assertThat(AmdPlatform.formatHipVersion(60342134)).isEqualTo("6.3.42134");
        assertThat(AmdPlatform.formatHipVersion(-1)).isEqualTo("unknown");
    }

    @Test
    void gfxNamesFollowTheDriversTargetVersion() {
        assertThat(AmdArchitecture.gfxName(90010)).isEqualTo("gfx90a");
        assertThat(AmdArchitecture.gfxName(90402)).isEqualTo("gfx942");
        assertThat(AmdArchitecture.gfxName(110000)).isEqualTo("gfx1100");
        assertThat(AmdArchitecture.gfxName(90006)).isEqualTo("gfx906");
    }
}
