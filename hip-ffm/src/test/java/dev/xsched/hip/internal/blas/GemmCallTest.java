package dev.xsched.hip.internal.blas;

import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.blas.DataType;
import dev.xsched.hip.blas.Transpose;
import dev.xsched.hip.internal.blas.GemmCall.Operand;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A GEMM's arguments are checked when it is made; sizes that overflow are bad arguments too. */
class GemmCallTest {
    @Test
    void aStrideOrLeadingDimensionThatOverflowsIsAnIllegalArgument() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().build();
             DeviceBuffer memory = sim.device(0).allocate(4096)) {
            Operand small = new Operand("B", memory, DataType.FP32, 4, 16);
            Operand c = new Operand("C", memory.slice(2048), DataType.FP32, 4, 16);
            Operand hugeStride = new Operand("A", memory, DataType.FP32, 4, Long.MAX_VALUE / 2);
            assertThatThrownBy(() -> new GemmCall(Transpose.N, Transpose.N, 4, 4, 4, 1f, hugeStride, small, 0f, c,
                    null, true, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A would span more than");

            // One matrix of 2^31 - 1 columns, ld 2^31 - 1, fits in a long; 2^20 of them that far apart do not.
            Operand hugeLd = new Operand("A", memory, DataType.FP32, Integer.MAX_VALUE, (long) Integer.MAX_VALUE * Integer.MAX_VALUE);
            assertThatThrownBy(() -> new GemmCall(Transpose.N, Transpose.N, 4, 4, Integer.MAX_VALUE, 1f, hugeLd, small, 0f,
                    c, null, true, 1 << 20))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A would span more than");
        }
    }
}
