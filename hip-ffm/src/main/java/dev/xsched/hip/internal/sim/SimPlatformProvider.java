package dev.xsched.hip.internal.sim;

import dev.xsched.hip.Availability;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.spi.PlatformProvider;
import dev.xsched.hip.spi.ProviderName;

import java.util.List;

/**
 * The simulated platform, last in provider order: the fallback where no GPU is found. It needs
 * nothing native, so it is always available with one device. The platform it opens is one per
 * process, in real time, configured from the {@code xsched.sim.*} system properties (see
 * {@link SimulatedPlatform.Builder}); a malformed property makes it unusable, with the reason.
 */
@ProviderName(value = "sim", order = 1000)
public final class SimPlatformProvider implements PlatformProvider {
    /** Built once, on first use; the outcome is kept, success or not. */
    private static final class Default {
        static final Object RESULT = create();
    }

    private static Object create() {
        try {
            return SimulatedPlatform.builder().realTime().systemProperties().build();
        } catch (RuntimeException e) {
            return Availability.unusable("sim", "the xsched.sim.* configuration is invalid: " + e.getMessage(),
                    List.of("SimulatedPlatform.builder().realTime().systemProperties(): " + e));
        }
    }

    @Override
    public Availability probe() {
        return switch (Default.RESULT) {
            case SimulatedPlatform platform -> Availability.usable("sim", platform.deviceCount(),
                    platform.runtimeVersion() + "; " + platform.deviceCount() + " simulated device(s): " + platform,
                    List.of("simulated platform: pure Java, nothing to load"));
            case Availability unusable -> unusable;
            default -> throw new AssertionError(Default.RESULT);
        };
    }

    @Override
    public HipPlatform open() {
        return switch (Default.RESULT) {
            case SimulatedPlatform platform -> platform;
            case Availability unusable -> throw new IllegalStateException(unusable.describe());
            default -> throw new AssertionError(Default.RESULT);
        };
    }
}
