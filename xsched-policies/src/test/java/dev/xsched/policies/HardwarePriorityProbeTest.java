package dev.xsched.policies;

import dev.xsched.hip.Device;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HardwarePriorityProbeTest {
    /** A device of a named platform reporting {@code range}; everything else unsupported. */
    private static Device device(String platformName, PriorityRange range) {
        HipPlatform platform = (HipPlatform) Proxy.newProxyInstance(HipPlatform.class.getClassLoader(), new Class<?>[] {HipPlatform.class},
                (p, m, a) -> switch (m.getName()) {
                    case "name" -> platformName;
                    case "toString" -> platformName;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class},
                (p, m, a) -> switch (m.getName()) {
                    case "platform" -> platform;
                    case "name" -> platformName + " gpu";
                    case "streamPriorityRange" -> range;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static boolean honoured(Device device, String property) {
        Map<String, String> props = property == null ? Map.of() : Map.of(HardwarePriorities.PROPERTY, property);
        return HardwarePriorities.probe(device, props::get).honoured();
    }

    @Test
    void nvidiaWithSeveralLevelsYesAmdNoUnlessForced() {
        Device nvidia = device("nvidia", new PriorityRange(0, -5));
        Device amd = device("amd", new PriorityRange(1, -1));
        assertThat(honoured(nvidia, null)).isTrue();
        assertThat(honoured(nvidia, "auto")).isTrue();
        assertThat(honoured(nvidia, "off")).isFalse();
        assertThat(honoured(amd, null)).isFalse();
        assertThat(HardwarePriorities.probe(amd, k -> null).reason()).contains("KFD").contains("xsched.hwpriority=on");
        assertThat(honoured(amd, "on")).isTrue();
        assertThat(honoured(amd, " ON ")).isTrue();
        assertThat(honoured(device("other", new PriorityRange(0, -1)), null)).isFalse();
    }

    @Test
    void aSingleLevelIsNeverHonouredEvenWhenForced() {
        assertThat(honoured(device("nvidia", new PriorityRange(0, 0)), null)).isFalse();
        assertThat(honoured(device("amd", new PriorityRange(0, 0)), "on")).isFalse();
    }

    @Test
    void theSimulatorAnswersAsItWasBuilt() {
        assertThat(honoured(SimulatedPlatform.builder().hardwarePriority(true).build().device(0), null)).isTrue();
        assertThat(honoured(SimulatedPlatform.builder().hardwarePriority(false).build().device(0), null)).isFalse();
        assertThat(honoured(SimulatedPlatform.builder().hardwarePriority(false).build().device(0), "on")).isTrue();
    }

    @Test
    void aBadPropertyValueIsAnError() {
        assertThatThrownBy(() -> honoured(device("nvidia", new PriorityRange(0, -5)), "maybe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xsched.hwpriority");
    }
}
