package dev.xsched.hip.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Whether probing may load a platform's runtime. Loading a vendor's library is not free: it runs
 * the library's initialisers (ROCm's makes the JVM print a stack-guard warning on every NVIDIA
 * host that has it installed) and can take long. So a probe does not load it when
 * {@code HIP_PLATFORM} names another platform, or when a device node the runtime needs is absent,
 * which means the runtime could find no device anyway. An explicit request ({@code Hip.open},
 * {@code Hip.load}, or {@code HIP_PLATFORM} naming this platform) loads it regardless.
 *
 * @param platform           the platform's name ({@code amd}, {@code nvidia})
 * @param configuredPlatform the configured platform ({@code Hip::configuredPlatform}), or null
 * @param deviceNode         a path that must exist for the runtime to see a device, or null for none
 * @param nodeMeaning        what the node's absence means, for the reason
 * @param exists             how a path's existence is checked (injected by tests)
 */
public record DiscoveryGate(String platform, Supplier<String> configuredPlatform, Path deviceNode, String nodeMeaning,
                            Predicate<Path> exists) {
    public DiscoveryGate {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(configuredPlatform, "configuredPlatform");
        Objects.requireNonNull(exists, "exists");
    }

    /** A gate on the configured platform and, when {@code deviceNode} is not null, on that node. */
    public static DiscoveryGate of(String platform, Supplier<String> configuredPlatform, Path deviceNode, String nodeMeaning) {
        return new DiscoveryGate(platform, configuredPlatform, deviceNode, nodeMeaning, Files::exists);
    }

    /** Why a probe must not load the runtime ("not loaded: ..."), or empty when it may. */
    public Optional<String> reasonNotToLoad() {
        String configured = configuredPlatform.get();
        if (configured != null) {
            return configured.equals(platform) ? Optional.empty()
                    : Optional.of("not loaded: HIP_PLATFORM (or -Dxsched.hip.platform) names '" + configured
                            + "'; Hip.open(\"" + platform + "\") loads it anyway");
        }
        if (deviceNode != null && !exists.test(deviceNode)) {
            return Optional.of("not loaded: " + deviceNode + " absent (" + nodeMeaning + "); Hip.open(\"" + platform
                    + "\") or HIP_PLATFORM=" + platform + " loads it anyway, for example to compile without a device");
        }
        return Optional.empty();
    }
}
