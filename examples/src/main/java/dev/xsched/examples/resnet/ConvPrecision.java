package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.hip.sim.TraceCostModel;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The arithmetic of the convolutions (and the FC layer, run as a 1x1 convolution).
 *
 * <p>{@link #TF32} multiplies on the tensor cores (conv_tf32.hip: {@code mma.sync} TF32, FP32
 * accumulation), as cuDNN does for PyTorch's default convolutions; it needs an NVIDIA GPU of
 * compute capability 8.0 or newer. {@link #FP32} multiplies on the FP32 cores
 * (resnet_kernels.hip) and runs everywhere, AMD included; on AMD's gfx908 and gfx90a it
 * multiplies on the matrix cores ({@link MatrixCores}: FP32 operands and accumulation, so FP32's
 * results, the additions in another order). {@link #defaultFor} picks TF32 where the
 * device has it. The simulated device ({@link SimulatedPlatform#ARCHITECTURE}) has both: it runs no
 * device code, its kernels only take the time its cost model gives, so the precision of a
 * simulated run is that of the kernel trace it replays ({@link #recordedIn}).
 *
 * <h2>The TF32 error bound</h2>
 * An output is {@code y = sum_k w_k x_k} over the reduction length {@code K = Cin * k * k}, plus
 * bias and residual. The tensor cores read each operand rounded to TF32 (10 explicit mantissa
 * bits, round to nearest): {@code w' = w (1 + d1)}, {@code x' = x (1 + d2)},
 * {@code |d1|, |d2| <= 2^-11}. So each product carries a relative error of at most
 * {@code (1 + 2^-11)^2 - 1 = 2^-10 + 2^-22}; the product of two TF32 values (11-bit significands)
 * is exact in FP32. The K products are summed in FP32; whatever the order, a sum of K terms in a
 * format of unit roundoff {@code u} is within {@code gamma_K = K u / (1 - K u)} of the exact sum
 * of the absolute values (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
 * section 3.1). The tensor cores' internal additions are not documented to round to nearest, so
 * {@code u = 2^-23} (truncation's bound) is used, not {@code 2^-24}. Adding bias and residual
 * costs at most one more {@code 2^-23} on each of the two additions, and ReLU does not increase an
 * error. Hence, with {@code A = sum_k |w_k x_k| + |bias| + |residual|}:
 * <pre>
 *   |y_tf32 - y| <= (2^-10 + 2^-22 + gamma_K + 2^-22) A
 * </pre>
 * which {@link #errorBound} returns. For ResNet-50's longest reduction (K = 4608) the factor is
 * 1.53e-3. The bound is worst-case and per element; since random-signed products cancel, {@code y}
 * itself is about {@code sqrt(K)} times smaller than {@code A}, so the bound is loose relative to
 * {@code |y|} and still far below the error of a wrong index (of the order of {@code |y|}).
 */
public enum ConvPrecision {
    /** TF32 tensor cores, FP32 accumulation: NVIDIA compute capability 8.0 and newer. */
    TF32,
    /** FP32 on the CUDA cores (AMD: the vector ALUs, or on gfx908 and gfx90a the matrix cores, {@link MatrixCores}). */
    FP32;

    private static final double TWO_TO_MINUS_10 = 0x1p-10;
    private static final double TWO_TO_MINUS_22 = 0x1p-22;
    private static final double ACCUMULATION_UNIT = 0x1p-23;

    /** The first compute capability with TF32 tensor cores and {@code cp.async} (Ampere). */
    private static final int FIRST_TF32_ARCHITECTURE = 80;

    /**
     * Whether {@code architecture} (as {@link Device#architecture()} names it: sm_90, gfx90a, sim)
     * runs this precision. The simulated architecture runs both: its compiler finds the TF32
     * kernels whatever their source's architecture guard says (it evaluates no preprocessor).
     */
    public boolean supportedOn(String architecture) {
        return this == FP32 || SimulatedPlatform.ARCHITECTURE.equals(architecture)
                || computeCapability(architecture) >= FIRST_TF32_ARCHITECTURE;
    }

    /**
     * TF32 where the device has it (PyTorch's default for convolutions), else FP32. A simulated
     * device that replays a kernel trace ({@link TraceCostModel}) takes the trace's precision
     * ({@link #recordedIn}): its block durations are those of the recorded kernels, and the two
     * precisions launch different kernels (names, and for small layers grids), so a model planned
     * in the other precision would run on durations the trace does not hold. A simulated device
     * without a trace takes TF32, the default of the H200 it stands for (compute capability 9.0).
     */
    public static ConvPrecision defaultFor(Device device) {
        if (device.platform() instanceof SimulatedPlatform sim && sim.costModel() instanceof TraceCostModel trace) {
            Optional<ConvPrecision> recorded = recordedIn(trace.kernelNames());
            if (recorded.isPresent()) {
                return recorded.get();
            }
        }
        return defaultFor(device.architecture());
    }

    /**
     * The precision of the convolutions a kernel trace recorded: the one whose kernels
     * ({@link ConvTiling#kernelName(ConvPrecision)}, or their yieldable twins) it names. The names
     * decide, not a comment in the file: they are what the simulator matches launches by, so they
     * cannot disagree with the durations, and traces written before {@link TraceRecorder} wrote
     * comments name them too.
     *
     * @param kernelNames the kernels a trace names
     * @return the precision, or empty when the trace names no convolution kernel
     * @throws IllegalArgumentException when it names convolution kernels of both precisions (a
     *                                  model launches one precision only), or matrix-core kernels
     *                                  ({@link MatrixCores}), which the simulator's models never launch
     */
    public static Optional<ConvPrecision> recordedIn(Collection<String> kernelNames) {
        List<String> matrixCores = kernelNames.stream().filter(MatrixCores::isKernel).sorted().toList();
        if (!matrixCores.isEmpty()) {
            throw new IllegalArgumentException("the trace holds matrix-core kernels " + matrixCores + "; the simulator's FP32"
                    + " models launch the FP32-core ones: record with -D" + MatrixCores.PROPERTY + "=false");
        }
        EnumSet<ConvPrecision> found = EnumSet.noneOf(ConvPrecision.class);
        for (ConvPrecision precision : values()) {
            for (ConvTiling tiling : ConvTiling.values()) {
                if (tiling.supports(precision) && (kernelNames.contains(tiling.kernelName(precision))
                        || kernelNames.contains(tiling.yieldKernelName(precision)))) {
                    found.add(precision);
                }
            }
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException("the trace holds convolution kernels of both precisions "
                    + kernelNames.stream().filter(k -> k.startsWith("conv")).sorted().toList()
                    + "; a model launches one, record one trace per precision");
        }
        return found.stream().findFirst();
    }

    static ConvPrecision defaultFor(String architecture) {
        return TF32.supportedOn(architecture) ? TF32 : FP32;
    }

    /** {@code tf32} or {@code fp32}, any case. */
    public static ConvPrecision parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision must be tf32 or fp32, got '" + name + "'");
        }
    }

    /** @throws IllegalArgumentException when {@code architecture} cannot run this precision */
    public ConvPrecision requireSupportedOn(String architecture) {
        if (!supportedOn(architecture)) {
            throw new IllegalArgumentException(label() + " convolutions need an NVIDIA GPU of compute capability 8.0 or newer;"
                    + " this device is " + architecture + " (use fp32)");
        }
        return this;
    }

    /**
     * The factor {@code c} of the TF32 bound {@code |y_tf32 - y| <= c A} derived above, for a
     * reduction of {@code reductionSize} products.
     */
    public static double errorBound(int reductionSize) {
        Checks.positive("reductionSize", reductionSize);
        double ku = reductionSize * ACCUMULATION_UNIT;
        if (ku >= 1) {
            throw new IllegalArgumentException("reduction of " + reductionSize + " products: the bound needs K u < 1");
        }
        return TWO_TO_MINUS_10 + 2 * TWO_TO_MINUS_22 + ku / (1 - ku);
    }

    /** {@code tf32} or {@code fp32}, as the options spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** sm_90 gives 90; anything else (AMD's gfx names) -1. */
    static int computeCapability(String architecture) {
        if (architecture == null || !architecture.startsWith("sm_")) {
            return -1;
        }
        String digits = architecture.substring(3).replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }
}
