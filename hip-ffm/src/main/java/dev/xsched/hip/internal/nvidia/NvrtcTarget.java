package dev.xsched.hip.internal.nvidia;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an NVRTC compilation targets, and so what it produces: a real architecture
 * ({@code sm_90}) gives a CUBIN that loads as is; a virtual one ({@code compute_90}) gives PTX that
 * the driver compiles when the module loads. Pure Java: the option handling is tested without NVRTC.
 *
 * @param architecture the {@code --gpu-architecture} value
 */
record NvrtcTarget(String architecture) {
    private static final List<String> ARCH_OPTIONS = List.of("--gpu-architecture", "-arch");

    NvrtcTarget {
        if (!architecture.matches("(sm|compute)_\\d+[a-z]?")) {
            throw new IllegalArgumentException("'" + architecture + "' is not an NVRTC architecture: use sm_XX for a CUBIN "
                    + "(for example sm_90) or compute_XX for PTX (for example compute_90)");
        }
    }

    /** Whether NVRTC produces PTX ({@code nvrtcGetPTX}) rather than a CUBIN ({@code nvrtcGetCUBIN}). */
    boolean producesPtx() {
        return architecture.startsWith("compute_");
    }

    /** The compute capability as NVRTC numbers it: 90 for {@code sm_90}, {@code sm_90a} and {@code compute_90}. */
    int number() {
        return Integer.parseInt(architecture.replaceAll("\\D", ""));
    }

    String option() {
        return "--gpu-architecture=" + architecture;
    }

    /**
     * The architecture named in {@code options} ({@code --gpu-architecture=X}, {@code -arch=X} or
     * either followed by X as the next option), if any.
     *
     * @throws IllegalArgumentException for hiprtc's {@code --offload-arch}, which NVRTC does not know
     */
    static Optional<NvrtcTarget> fromOptions(List<String> options) {
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (option.startsWith("--offload-arch")) {
                throw new IllegalArgumentException("'" + option + "' is a hiprtc (AMD) option; on NVIDIA name the target "
                        + "with --gpu-architecture=sm_XX, or leave it out to compile for the device");
            }
            for (String name : ARCH_OPTIONS) {
                if (option.startsWith(name + "=")) {
                    return Optional.of(new NvrtcTarget(option.substring(name.length() + 1)));
                }
                if (option.equals(name)) {
                    if (i + 1 == options.size()) {
                        throw new IllegalArgumentException("option " + name + " needs an architecture after it");
                    }
                    return Optional.of(new NvrtcTarget(options.get(i + 1)));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The default target for a device: its own architecture (a CUBIN) when this NVRTC supports it;
     * otherwise PTX for the newest architecture NVRTC knows below it, which the driver compiles for
     * the device when the module loads (a GPU newer than the NVRTC found). {@code supported} empty
     * means unknown: then the device's architecture is taken as it is.
     */
    static NvrtcTarget defaultFor(String deviceArchitecture, Set<Integer> supported) {
        NvrtcTarget device = new NvrtcTarget(deviceArchitecture);
        if (supported.isEmpty() || supported.contains(device.number())) {
            return device;
        }
        return supported.stream().filter(n -> n < device.number()).max(Integer::compare)
                .map(n -> new NvrtcTarget("compute_" + n))
                .orElseThrow(() -> new IllegalStateException("NVRTC supports only " + supported + ", all newer than the "
                        + "device's " + deviceArchitecture));
    }

    /** Rejects an architecture this NVRTC does not list, before NVRTC sees it. */
    void checkSupported(Set<Integer> supported, String nvrtcVersion) {
        if (!supported.isEmpty() && !supported.contains(number())) {
            throw new IllegalArgumentException(nvrtcVersion + " cannot compile for '" + architecture
                    + "': it supports " + supported.stream().sorted().toList());
        }
    }
}
