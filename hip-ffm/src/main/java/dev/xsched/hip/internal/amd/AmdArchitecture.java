package dev.xsched.hip.internal.amd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The gfx architecture names of the AMD GPUs, for hiprtc's {@code --offload-arch}. Read from the
 * kernel driver's topology ({@code gfx_target_version} of each GPU node) because the runtime only
 * reports it inside {@code hipDeviceProp_t}, whose layout changed in ROCm 6.
 * {@code XSCHED_HIP_ARCH} overrides it.
 */
final class AmdArchitecture {
    static final String OVERRIDE_ENV = "XSCHED_HIP_ARCH";
    private static final Path TOPOLOGY = Path.of("/sys/class/kfd/kfd/topology/nodes");

    private AmdArchitecture() {
    }

    /** The architecture of GPU {@code index} (in HIP's device order), or {@code unknown}. */
    static String of(int index) {
        String override = System.getenv(OVERRIDE_ENV);
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        List<String> gpus = gpuArchitectures();
        return index < gpus.size() ? gpus.get(index) : "unknown";
    }

    private static List<String> gpuArchitectures() {
        List<String> result = new ArrayList<>();
        if (!Files.isDirectory(TOPOLOGY)) {
            return result;
        }
        try (Stream<Path> nodes = Files.list(TOPOLOGY)) {
            for (Path node : nodes.sorted(Comparator.comparingInt(p -> parseIntOr(p.getFileName().toString(), 0))).toList()) {
                int version = property(node.resolve("properties"), "gfx_target_version");
                if (version > 0) {
                    result.add(gfxName(version));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No readable topology: callers fall back to "unknown" and hiprtc's own default.
        }
        return result;
    }

    /** 90010 -> gfx90a, 110000 -> gfx1100, 90402 -> gfx942. */
    static String gfxName(int targetVersion) {
        int major = targetVersion / 10_000;
        int minor = targetVersion / 100 % 100;
        int stepping = targetVersion % 100;
        return "gfx" + major + Integer.toHexString(minor) + Integer.toHexString(stepping);
    }

    private static int property(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].equals(key)) {
                return parseIntOr(parts[1], 0);
            }
        }
        return 0;
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
