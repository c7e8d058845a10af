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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point: finds the platforms, probes them, and opens the one to use.
 *
 * <p>Choice ({@link #platform()}): {@code -Dxsched.hip.platform} or {@code HIP_PLATFORM}
 * ({@code amd}, {@code nvidia}, {@code sim}) when set; otherwise the first GPU platform, in
 * provider order (AMD, then NVIDIA), that has a device. The simulated platform is never chosen
 * silently: without a GPU and without {@code HIP_PLATFORM=sim}, {@link #platform()} throws with
 * every platform's probe result. Demos and tests that want the simulator as a fallback call
 * {@link #platformOrSimulator()}, which logs once that it fell back.
 *
 * <p>Probing does not load a vendor's runtime where it cannot have a device (AMD without
 * {@code /dev/kfd}) or when {@code HIP_PLATFORM} names another platform; the probe then says why.
 * {@link #open(String)} and {@link #load(String)} load it anyway, for example to compile for AMD
 * with hiprtc on a machine without an AMD GPU.
 *
 * <pre>{@code
 * HipPlatform hip = Hip.platform();
 * Device gpu = hip.device(0);
 * }</pre>
 */
public final class Hip {
    /**
     * {@value}: the system property that names the platform to use ({@code amd}, {@code nvidia} or
     * {@code sim}); it takes precedence over {@link #PLATFORM_ENV}.
     */
    public static final String PLATFORM_PROPERTY = "xsched.hip.platform";
    /**
     * {@value}: the environment variable that names the platform to use, as HIP's own tools read
     * it; consulted when {@link #PLATFORM_PROPERTY} is unset or blank.
     */
    public static final String PLATFORM_ENV = "HIP_PLATFORM";

    private static final Map<String, ServiceLoader.Provider<PlatformProvider>> PROVIDERS = discover();
    private static final Map<String, PlatformProvider> INSTANCES = new ConcurrentHashMap<>();

    /**
     * The platform chosen, why, and what every probed platform said.
     *
     * @param platform the opened platform
     * @param reason   one line on why it was chosen, for example {@code $HIP_PLATFORM=nvidia} or
     *                 {@code nvidia is the first GPU platform with devices}
     * @param probes   the probe results that led to the choice, in order of preference (only the
     *                 configured platform's when one was configured)
     */
    public record Choice(HipPlatform platform, String reason, List<Availability> probes) {
        /** Copies {@code probes}, so that the record stays immutable. */
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

    /**
     * The names of the installed platforms, in order of preference ({@link ProviderName#order()}):
     * with hip-ffm alone {@code [amd, nvidia, sim]}. Loads nothing native.
     *
     * @return an immutable list of platform names
     */
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

    /**
     * Probes one platform; never throws for an unusable platform. Loads nothing that discovery
     * would not (see the class documentation); {@link #load(String)} does. A platform's provider
     * is instantiated once per process and caches what it loaded, so repeated probes are cheap.
     *
     * @param name a name from {@link #platformNames()}
     * @return whether the platform can be opened and has devices, with everything that was tried
     * @throws IllegalArgumentException if no platform of that name is installed
     */
    public static Availability probe(String name) {
        return provider(name).probe();
    }

    /**
     * Loads a platform's libraries even where probing declines to (no device node, another
     * platform configured), then probes it; never throws for an unusable platform. For work that
     * needs no device, such as compiling for AMD on a machine without an AMD GPU.
     *
     * @param name a name from {@link #platformNames()}
     * @return the probe result after loading
     * @throws IllegalArgumentException if no platform of that name is installed
     */
    public static Availability load(String name) {
        return provider(name).load();
    }

    /**
     * Probes every installed platform, in order of preference: what {@code xsched info} prints.
     *
     * @return one result per name of {@link #platformNames()}, in that order
     */
    public static List<Availability> probeAll() {
        return platformNames().stream().map(Hip::probe).toList();
    }

    /**
     * Opens a platform by name. A platform is opened once per process (its runtime initialised,
     * {@code hipInit} or {@code cuInit}) and shared: every call returns the same object (the
     * simulated one must not be closed). A platform that failed to load stays unusable for the
     * life of the process.
     *
     * @param name a name from {@link #platformNames()}
     * @return the process-wide platform of that name
     * @throws IllegalArgumentException if no such platform is installed
     * @throws IllegalStateException    if it cannot be used here, with everything that was tried
     */
    public static HipPlatform open(String name) {
        return provider(name).open();
    }

    /**
     * The platform named by configuration: {@link #PLATFORM_PROPERTY}, else {@link #PLATFORM_ENV},
     * stripped and lower-cased. Not checked against the installed platforms.
     *
     * @return the configured name, or {@code null} when neither is set (or both are blank)
     */
    public static String configuredPlatform() {
        String name = System.getProperty(PLATFORM_PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(PLATFORM_ENV);
        }
        return name == null || name.isBlank() ? null : name.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Chooses a platform as described in the class documentation, and says why.
     *
     * @return the opened platform, the reason and the probes consulted
     * @throws IllegalStateException if the configured platform is unusable, or if nothing is
     *                               configured and no GPU platform has a device; the message
     *                               lists every platform's probe result
     */
    public static Choice choose() {
        return choose(false);
    }

    /**
     * As {@link #choose()}, but where no GPU platform has a device it falls back to the simulated
     * platform, says so in {@link Choice#reason()}, and logs it the first time (one
     * {@code WARNING} through {@link System.Logger}, per process).
     *
     * @return the opened platform, the reason and the probes consulted
     * @throws IllegalStateException if the configured platform is unusable, or if nothing is
     *                               configured and no platform, the simulated one included, is
     *                               usable
     */
    public static Choice chooseOrSimulator() {
        Choice choice = choose(true);
        if (choice.platform().isSimulated() && configuredPlatform() == null && !FALLBACK_LOGGED.getAndSet(true)) {
            System.getLogger(Hip.class.getName()).log(System.Logger.Level.WARNING, choice.reason()
                    + " (simulated timings, no GPU work; set " + PLATFORM_ENV + "=sim to choose it explicitly; `xsched info` "
                    + "or Hip.probeAll() says why no GPU platform was usable)");
        }
        return choice;
    }

    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private static Choice choose(boolean simulatorAllowed) {
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
        HipPlatform simulated = null;
        for (String name : platformNames()) {
            Availability probe = probe(name);
            probes.add(probe);
            if (probe.hasDevices()) {
                HipPlatform platform = open(name);
                if (!platform.isSimulated()) {
                    return new Choice(platform, name + " is the first GPU platform with devices", probes);
                }
                simulated = simulated == null ? platform : simulated;
            }
        }
        if (simulatorAllowed && simulated != null) {
            return new Choice(simulated, "no GPU platform has a device; fell back to the simulated platform '"
                    + simulated.name() + "'", probes);
        }
        throw new IllegalStateException("no GPU platform has a device here, and the simulated platform is used only when "
                + "chosen: set " + PLATFORM_ENV + "=sim or -D" + PLATFORM_PROPERTY + "=sim (or call Hip.platformOrSimulator())."
                + " Every platform's probe:" + describe(probes));
    }

    private static String describe(List<Availability> probes) {
        StringBuilder text = new StringBuilder();
        probes.forEach(p -> text.append(System.lineSeparator()).append(p.describe()));
        return text.toString();
    }

    /**
     * The chosen platform ({@link #choose()}): a GPU platform with a device, or the configured one.
     *
     * @return the process-wide platform
     * @throws IllegalStateException if there is no GPU and {@code HIP_PLATFORM=sim} is not set,
     *                               with every platform's probe result
     */
    public static HipPlatform platform() {
        return choose().platform();
    }

    /**
     * The chosen platform, falling back to the simulated one where no GPU platform has a device
     * ({@link #chooseOrSimulator()}): for demos and tests, never for a program whose results must
     * come from a GPU.
     *
     * @return the process-wide platform
     * @throws IllegalStateException if the configured platform is unusable, or no platform, the
     *                               simulated one included, is usable
     */
    public static HipPlatform platformOrSimulator() {
        return chooseOrSimulator().platform();
    }
}
