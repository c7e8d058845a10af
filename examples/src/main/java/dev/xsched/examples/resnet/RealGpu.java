package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;

/** Opens device 0 of the chosen platform for programs whose numbers only mean something on hardware. */
final class RealGpu {
    private RealGpu() {
    }

    /**
     * @throws IllegalStateException saying why when the platform is simulated, has no device or
     *                               cannot be loaded
     */
    static Device open() {
        HipPlatform platform = Hip.platform();
        if (platform.isSimulated()) {
            throw new IllegalStateException("the chosen platform '" + platform.name()
                    + "' is simulated: its timings would not be measurements; set HIP_PLATFORM=nvidia or amd");
        }
        if (platform.deviceCount() == 0) {
            throw new IllegalStateException("platform " + platform.name() + " has no device: "
                    + platform.noDeviceReason().orElse("none found"));
        }
        return platform.device(0);
    }
}
