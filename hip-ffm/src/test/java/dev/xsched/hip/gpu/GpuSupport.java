package dev.xsched.hip.gpu;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.KernelCompiler;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The GPU the {@code gpu}-tagged tests run on: device 0 of {@link Hip#platform()} (so the same tests
 * run on NVIDIA and AMD; {@code HIP_PLATFORM} picks one). Where no real device exists, or the chosen
 * platform is simulated, the tests skip and say why, with every platform's probe summary. With
 * {@code -D}{@value #REQUIRED_PROPERTY}{@code =true} (set by the Maven profile {@code gpu} and by
 * {@code bin/xsched gpu-test}) they fail instead: on a GPU host a skip would hide a broken setup.
 */
public final class GpuSupport {
    public static final String REQUIRED_PROPERTY = "xsched.gpu.required";

    private GpuSupport() {
    }

    /** The chosen platform, which has at least one real device; otherwise skips (or fails when required). */
    public static HipPlatform platform() {
        HipPlatform platform;
        try {
            platform = Hip.platform();
        } catch (IllegalStateException | IllegalArgumentException e) {
            return unavailable("no usable HIP platform: " + e.getMessage());
        }
        if (platform.isSimulated()) {
            return unavailable("the chosen platform '" + platform.name() + "' is simulated: " + summaries());
        }
        if (platform.deviceCount() == 0) {
            return unavailable("platform '" + platform.name() + "' has no device ("
                    + platform.noDeviceReason().orElse("no reason given") + "); " + summaries());
        }
        return platform;
    }

    /** Device 0 of the chosen platform. */
    public static Device device() {
        return platform().device(0);
    }

    /** The device's run-time compiler (its own architecture by default). */
    public static KernelCompiler compiler() {
        return device().compiler();
    }

    private static HipPlatform unavailable(String reason) {
        String message = "no GPU: " + reason;
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            Assertions.fail(message + " (-D" + REQUIRED_PROPERTY + "=true: a GPU is required here)");
        }
        Assumptions.assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    private static String summaries() {
        List<Availability> probes = Hip.probeAll();
        return probes.stream().map(p -> p.platform() + ": " + p.summary()).collect(Collectors.joining("; "));
    }
}
