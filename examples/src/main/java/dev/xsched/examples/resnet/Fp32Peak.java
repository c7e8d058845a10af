package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;

/**
 * A device's peak FP32 rate from its attributes: {@code 2 (an FMA is two FLOPs) x FP32 lanes per
 * SM x SMs x peak clock}. The lanes per SM are not an attribute; they come from the
 * architecture: 128 on NVIDIA sm_90 (Hopper), sm_86/sm_89 and Blackwell, 64 on sm_80 (A100) and
 * Volta/Turing (and taken as 64 before Volta); on AMD 64 per CU, 128 on gfx90a and gfx94x (packed
 * FP32: hiprtc turns these kernels' FMAs into {@code v_pk_fma_f32} there), and 128 wherever the
 * convolutions run on the matrix cores ({@link MatrixCores}: 256 FP32 FLOPs per clock per CU on
 * gfx908 and gfx90a, counted as 128 lanes' FMAs).
 *
 * @param lanesPerUnit FP32 lanes per SM (CU)
 * @param units        SMs (CUs)
 * @param clockGHz     peak core clock
 * @param basis        where {@code lanesPerUnit} came from
 */
public record Fp32Peak(int lanesPerUnit, int units, double clockGHz, String basis) {
    public double tflops() {
        return 2.0 * lanesPerUnit * units * clockGHz / 1000.0;
    }

    public static Fp32Peak of(Device device) {
        int units = device.computeUnits();
        double clockGHz = device.clockRateKHz() / 1e6;
        if (device.platform().name().equals("nvidia")) {
            int major = device.attribute(DeviceAttribute.COMPUTE_CAPABILITY_MAJOR);
            int minor = device.attribute(DeviceAttribute.COMPUTE_CAPABILITY_MINOR);
            int lanes = nvidiaLanesPerSm(major, minor);
            return new Fp32Peak(lanes, units, clockGHz, "sm_" + major + minor + ": " + lanes + " FP32 lanes per SM");
        }
        return amd(device.architecture(), MatrixCores.usedOn(device), units, clockGHz);
    }

    static Fp32Peak amd(String architecture, boolean matrixCores, int units, double clockGHz) {
        if (matrixCores) {
            return new Fp32Peak(128, units, clockGHz, architecture + ": the matrix cores, 256 FP32 FLOPs per clock per CU");
        }
        if (architecture.startsWith("gfx90a") || architecture.startsWith("gfx94")) {
            return new Fp32Peak(128, units, clockGHz, architecture + ": 64 FP32 lanes per CU, doubled by packed FP32");
        }
        return new Fp32Peak(64, units, clockGHz, architecture + ": 64 FP32 lanes per CU");
    }

    static int nvidiaLanesPerSm(int major, int minor) {
        return switch (major) {
            case 7 -> 64;
            case 8 -> minor == 0 ? 64 : 128;
            default -> major >= 9 ? 128 : 64;
        };
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.1f TFLOP/s FP32 (2 x %d lanes x %d SMs x %.3f GHz; %s)",
                tflops(), lanesPerUnit, units, clockGHz, basis);
    }
}
