package dev.xsched.hip.internal;

import dev.xsched.hip.Availability;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.spi.PlatformProvider;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the AMD and NVIDIA providers share: a runtime loaded once per process ({@link RuntimeOnce},
 * whose outcome is the platform or an unusable {@link Availability}), and probes that load it only
 * where the {@link DiscoveryGate} allows, while {@link #open()} and {@link #load()} load it on
 * request.
 */
public abstract class NativePlatformProvider implements PlatformProvider {
    private final String name;
    private final DiscoveryGate gate;
    private final RuntimeOnce runtime;

    protected NativePlatformProvider(String name, DiscoveryGate gate, RuntimeOnce runtime) {
        this.name = Objects.requireNonNull(name, "name");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** The availability of a loaded platform of this provider. */
    protected abstract Availability availabilityOf(HipPlatform platform);

    @Override
    public final Availability probe() {
        Optional<Object> loaded = runtime.ifLoaded();
        if (loaded.isPresent()) {
            return availability(loaded.get());
        }
        Optional<String> declined = gate.reasonNotToLoad();
        return declined.isPresent() ? Availability.unusable(name, declined.get(), List.of()) : load();
    }

    @Override
    public final Availability load() {
        return availability(runtime.get());
    }

    @Override
    public final HipPlatform open() {
        Object outcome = runtime.get();
        return switch (outcome) {
            case HipPlatform platform -> platform;
            case Availability unusable -> throw new IllegalStateException(unusable.describe());
            default -> throw new AssertionError(outcome);
        };
    }

    private Availability availability(Object outcome) {
        return switch (outcome) {
            case HipPlatform platform -> availabilityOf(platform);
            case Availability unusable -> unusable;
            default -> throw new AssertionError(outcome);
        };
    }
}
