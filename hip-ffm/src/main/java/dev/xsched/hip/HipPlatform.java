package dev.xsched.hip;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A loaded GPU platform: AMD (HIP runtime), NVIDIA (CUDA driver API and NVRTC behind the same
 * API) or the simulated one. Obtain one from {@link Hip}.
 */
public interface HipPlatform {
    /** {@code amd}, {@code nvidia} or {@code sim}: the values of {@code HIP_PLATFORM}. */
    String name();

    /** Whether devices are simulated; everything printed about them then says so. */
    boolean isSimulated();

    /** The runtime's version, for example {@code HIP runtime 5.2.21153}. */
    String runtimeVersion();

    /** The driver's version, for example {@code CUDA driver 13.0}. */
    String driverVersion();

    /** Devices found; 0 is a valid answer (see {@link #noDeviceReason()}). */
    int deviceCount();

    /**
     * The device with this ordinal.
     *
     * @throws IndexOutOfBoundsException if there is none
     */
    Device device(int index);

    default List<Device> devices() {
        return IntStream.range(0, deviceCount()).mapToObj(this::device).toList();
    }

    /** Why no device was found, when {@link #deviceCount()} is 0. */
    Optional<String> noDeviceReason();

    /**
     * The run-time compiler. Needs no device on AMD (it then needs a target option such as
     * {@code --offload-arch=gfx90a}).
     */
    KernelCompiler compiler();
}
