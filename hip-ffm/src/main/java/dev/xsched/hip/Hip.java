package dev.xsched.hip;

import dev.xsched.hip.spi.PlatformProvider;
import dev.xsched.hip.spi.ProviderName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entry point: finds the platforms, probes them, and opens the one to use.
 *
 * <p>Choice: {@code -Dxsched.hip.platform} or {@code HIP_PLATFORM} ({@code amd}, {@code nvidia},
 * {@code sim}) when set; otherwise the first platform, in provider order (AMD, NVIDIA, then the
 * simulated one), that has devices; otherwise the first that loads at all.
 *
 * <pre>{@code
 * HipPlatform hip = Hip.platform();
 * Device gpu = hip.device(0);
 * }</pre>
 */
public final class Hip {
    public static final String PLATFORM_PROPERTY = "xsched.hip.platform";
    public static final String PLATFORM_ENV = "HIP_PLATFORM";

    private static final Map<String, ServiceLoader.Provider<PlatformProvider>> PROVIDERS = discover();
    private static final Map<String, PlatformProvider> INSTANCES = new ConcurrentHashMap<>();

    /** The platform chosen, why, and what every probed platform said. */
    public record Choice(HipPlatform platform, String reason, List<Availability> probes) {
        public Choice {
            probes = List.copyOf(probes);
        }
    }

    private Hip() {
    }

    private static Map<String, ServiceLoader.Provider<PlatformProvider>> discover() {
        Map<String, ServiceLoader.Provider<PlatformProvider>> byName = new LinkedHashMap<>();
        ServiceLoader.load(PlatformProvider.class, Hip.class.getClassLoader()).stream()
                .filter(p -> p.type().isAnnotationPresent(ProviderName.class))
                .sorted(Comparator.comparingInt(p -> p.type().getAnnotation(ProviderName.class).order()))
                .forEach(p -> byName.putIfAbsent(p.type().getAnnotation(ProviderName.class).value(), p));
        return byName;
    }

    /** The names of the installed platforms, in order of preference. */
    public static List<String> platformNames() {
        return List.copyOf(PROVIDERS.keySet());
    }

    private static PlatformProvider provider(String name) {
        Objects.requireNonNull(name, "name");
        var provider = PROVIDERS.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown HIP platform '" + name + "'; installed: " + platformNames());
        }
        // Instantiating a provider loads nothing native: that happens in probe() or open().
        return INSTANCES.computeIfAbsent(name, n -> provider.get());
    }

    /** Probes one platform; never throws for an unusable platform. */
    public static Availability probe(String name) {
        return provider(name).probe();
    }

    /** Probes every installed platform, in order of preference. */
    public static List<Availability> probeAll() {
        return platformNames().stream().map(Hip::probe).toList();
    }

    /**
     * Opens a platform by name.
     *
     * @throws IllegalArgumentException if no such platform is installed
     * @throws IllegalStateException    if it cannot be used here, with everything that was tried
     */
    public static HipPlatform open(String name) {
        return provider(name).open();
    }

    /** The platform named by configuration, if any. */
    public static String configuredPlatform() {
        String name = System.getProperty(PLATFORM_PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(PLATFORM_ENV);
        }
        return name == null || name.isBlank() ? null : name.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Chooses a platform as described in the class documentation, and says why. */
    public static Choice choose() {
        String configured = configuredPlatform();
        if (configured != null) {
            String source = System.getProperty(PLATFORM_PROPERTY) != null ? "-D" + PLATFORM_PROPERTY : "$" + PLATFORM_ENV;
            Availability probe = probe(configured);
            if (!probe.available()) {
                throw new IllegalStateException(source + "=" + configured + ", but " + probe.describe());
            }
            return new Choice(open(configured), source + "=" + configured, List.of(probe));
        }
        List<Availability> probes = new ArrayList<>();
        for (String name : platformNames()) {
            Availability probe = probe(name);
            probes.add(probe);
            if (probe.hasDevices()) {
                return new Choice(open(name), name + " is the first platform with devices", probes);
            }
        }
        for (Availability probe : probes) {
            if (probe.available()) {
                return new Choice(open(probe.platform()), "no platform has devices; " + probe.platform()
                        + " is the first that loads", probes);
            }
        }
        StringBuilder message = new StringBuilder("no HIP platform can be used here:");
        probes.forEach(p -> message.append(System.lineSeparator()).append(p.describe()));
        throw new IllegalStateException(message.toString());
    }

    /** The chosen platform ({@link #choose()}). */
    public static HipPlatform platform() {
        return choose().platform();
    }
}
