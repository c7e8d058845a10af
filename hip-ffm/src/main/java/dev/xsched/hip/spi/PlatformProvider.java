package dev.xsched.hip.spi;

import dev.xsched.hip.Availability;
import dev.xsched.hip.HipPlatform;

/**
 * A GPU platform behind the hip-ffm API, found through {@link java.util.ServiceLoader}. Annotate
 * implementations with {@link ProviderName}; register them with {@code provides} in
 * {@code module-info.java} and in {@code META-INF/services} for class-path users. Creating an
 * implementation must load nothing native: {@link dev.xsched.hip.Hip} creates one instance per
 * process, before it knows whether the platform is wanted, and calls it from any thread, so its
 * methods must be thread-safe; it should load its libraries once and keep the outcome.
 */
public interface PlatformProvider {
    /**
     * Whether the platform can be opened here. Never throws; a failure is described in the result
     * with everything that was tried. Should load nothing where the platform cannot have a device
     * (no device node) or another platform is configured, and say so in the result.
     *
     * @return the platform's availability
     */
    Availability probe();

    /**
     * Loads the platform's libraries even where {@link #probe()} declines to (a platform whose
     * runtime cannot have a device here, or another platform configured), then probes it. Never
     * throws. By default the same as {@link #probe()}, for platforms whose probe always loads.
     *
     * @return the platform's availability after loading
     */
    default Availability load() {
        return probe();
    }

    /**
     * Opens the platform (loads its libraries once, initialises the runtime).
     *
     * @return the platform; every call returns the same one
     *
     * @throws dev.xsched.hip.HipException or {@link IllegalStateException} with the probe's
     *         reason if it cannot be opened
     */
    HipPlatform open();
}
