package dev.xsched.hip;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A loaded GPU platform: AMD (HIP runtime), NVIDIA (CUDA driver API and NVRTC behind the same
 * API) or the simulated one. Obtain one from {@link Hip}; the platforms {@link Hip} opens are
 * shared by the whole process and are never closed. Its devices are made when it is opened; every
 * method may be called from any thread.
 */
public interface HipPlatform {
    /**
     * The platform's name, as {@link Hip#open(String)} and {@code HIP_PLATFORM} take it.
     *
     * @return {@code amd}, {@code nvidia} or {@code sim}
     */
    String name();

    /**
     * Whether devices are simulated; everything printed about them then says so.
     *
     * @return true for the simulated platform, whose timings come from a cost model, not a GPU
     */
    boolean isSimulated();

    /**
     * The runtime's version, for reports.
     *
     * @return for example {@code HIP runtime 5.2.21153} ({@code hipRuntimeGetVersion}) or
     *         {@code CUDA driver API 13.0 (/usr/lib/x86_64-linux-gnu/libcuda.so.1)}
     */
    String runtimeVersion();

    /**
     * The driver's version, for reports.
     *
     * @return for example {@code CUDA driver 13.0} ({@code cuDriverGetVersion}) or
     *         {@code HIP driver 5.2.21153} ({@code hipDriverGetVersion})
     */
    String driverVersion();

    /**
     * The number of devices found when the platform was opened; devices are not hot-plugged.
     *
     * @return 0 or more; 0 is a valid answer (see {@link #noDeviceReason()})
     */
    int deviceCount();

    /**
     * The device with this ordinal, as the runtime numbers them (after {@code CUDA_VISIBLE_DEVICES}
     * or {@code HIP_VISIBLE_DEVICES}). The same object on every call.
     *
     * @param index the ordinal, {@code 0 <= index < deviceCount()}
     * @return the device
     * @throws IndexOutOfBoundsException if there is none
     */
    Device device(int index);

    /**
     * Every device, in ordinal order.
     *
     * @return an immutable list of {@link #deviceCount()} devices
     */
    default List<Device> devices() {
        return IntStream.range(0, deviceCount()).mapToObj(this::device).toList();
    }

    /**
     * Why no device was found, when {@link #deviceCount()} is 0.
     *
     * @return the runtime's reason (for example {@code hipGetDeviceCount} returning
     *         {@code hipErrorNoDevice}, with the error), or empty when there are devices
     */
    Optional<String> noDeviceReason();

    /**
     * The run-time compiler, targeting the first device's architecture by default. Needs no
     * device on AMD (it then needs a target option such as {@code --offload-arch=gfx90a}).
     * {@link Device#compiler()} targets one device's own architecture.
     *
     * @return hiprtc (AMD), NVRTC (NVIDIA) or the simulated compiler
     * @throws IllegalStateException if the platform's compiler library (hiprtc, NVRTC) was not
     *                               found; the message says where it was looked for
     */
    KernelCompiler compiler();
}
