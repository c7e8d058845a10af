package dev.xsched.examples.resnet;

import dev.xsched.examples.config.BooleanProperty;
import dev.xsched.hip.Device;

import java.util.List;
import java.util.Set;

/**
 * FP32 convolutions on AMD's matrix cores (conv_mfma.hip: {@code v_mfma_f32_16x16x4f32}, FP32
 * operands and accumulation), in place of the FP32-core kernels of the same tiles
 * ({@link ConvTiling#matrixCoreKernelName()}): the same grid, arguments, yield checks and results
 * within the same bound, only the order of the additions differs.
 *
 * <p>Used on gfx908 (MI100) and gfx90a (MI200), the CDNA GPUs whose code objects Debian's hiprtc
 * (HIP 5.2.3) builds here, so that the compile test can check that they hold the MFMA
 * instructions; the kernels' arithmetic is checked by the CPU emulation of the instruction's
 * documented lane layout. They have not run on an AMD GPU: none was available. gfx94x (MI300) has
 * the same instruction but that hiprtc cannot target it, so it keeps the FP32-core kernels.
 * {@value #PROPERTY}{@code =false} turns them off.
 */
public final class MatrixCores {
    /** The system property that turns the matrix-core kernels off ({@code false}); on when unset. */
    public static final String PROPERTY = "xsched.resnet.matrixCores";

    private static final Set<String> ARCHITECTURES = Set.of("gfx908", "gfx90a");
    /** The start of every matrix-core kernel's name ({@link ConvTiling#matrixCoreKernelName()}). */
    static final String KERNEL_PREFIX = "conv2d_mfma_";

    private MatrixCores() {
    }

    /**
     * Whether a code object for {@code architecture} holds the matrix-core kernels: gfx908 and
     * gfx90a, with or without target features ({@code gfx90a:sramecc+:xnack-}).
     */
    public static boolean supportedOn(String architecture) {
        if (architecture == null) {
            return false;
        }
        int features = architecture.indexOf(':');
        return ARCHITECTURES.contains(features < 0 ? architecture : architecture.substring(0, features));
    }

    /**
     * The system property {@value #PROPERTY}, true when unset.
     *
     * @throws IllegalArgumentException if it is neither {@code true} nor {@code false}
     */
    public static boolean enabled() {
        return BooleanProperty.read(PROPERTY, true);
    }

    /**
     * Whether FP32 models on {@code device} run their convolutions on the matrix cores.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is neither {@code true} nor {@code false}
     */
    public static boolean usedOn(Device device) {
        return usedOn(device.architecture());
    }

    private static boolean usedOn(String architecture) {
        return enabled() && supportedOn(architecture);   // the property first: a typo fails everywhere
    }

    /**
     * The launches of a model of {@code precision} on a device of {@code architecture}: {@code plan},
     * planned for the FP32-core kernels, with each convolution on its matrix-core kernel where
     * they are {@linkplain #usedOn used} and the precision is FP32, else {@code plan} itself.
     */
    static List<PlannedLaunch> planFor(List<PlannedLaunch> plan, ConvPrecision precision, String architecture) {
        if (precision != ConvPrecision.FP32 || !usedOn(architecture)) {
            return plan;
        }
        return plan.stream()
                .map(step -> ConvTiling.matrixCoreTwinOf(step.kernel()).map(step::withKernel).orElse(step))
                .toList();
    }

    /** Whether {@code kernel} is a matrix-core convolution (or its yieldable twin). */
    static boolean isKernel(String kernel) {
        return kernel.startsWith(KERNEL_PREFIX);
    }

    /** How a model of {@code precision} on {@code device} will compute its convolutions: {@code fp32 on the matrix cores (MFMA)}. */
    public static String describe(ConvPrecision precision, Device device) {
        return describe(precision, precision == ConvPrecision.FP32 && usedOn(device));
    }

    /** {@code precision}'s label, and where {@code onMatrixCores} that they run there. */
    static String describe(ConvPrecision precision, boolean onMatrixCores) {
        return precision.label() + (onMatrixCores ? " on the matrix cores (MFMA)" : "");
    }
}
