package dev.xsched.hip;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class KernelArgsTest {
    private record FakeKernel(String name, List<ParamType> signature) implements Kernel {
        @Override
        public boolean isLoaded() {
            return true;
        }
    }

    @Test
    void valuesAreCopiedAtBuildTime() {
        KernelArgs.Builder builder = KernelArgs.builder().i32(7);
        KernelArgs first = builder.build();
        builder.i32(8);
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.bits(0)).isEqualTo(7);
        assertThat(builder.build().count()).isEqualTo(2);
    }

    @Test
    void rawBitsRoundTripEveryScalarType() {
        qt().forAll(integers().all(), longs().all(), floats().any()).checkAssert((i, l, f) -> {
            KernelArgs args = KernelArgs.builder().i32(i).i64(l).f32(f).f64(f * 2.0).build();
            assertThat((int) args.bits(0)).isEqualTo(i);
            assertThat(args.bits(1)).isEqualTo(l);
            assertThat(Float.intBitsToFloat((int) args.bits(2))).isEqualTo(f);
            assertThat(Double.longBitsToDouble(args.bits(3))).isEqualTo(f * 2.0);
            assertThat(args.types()).containsExactly(ParamType.INT, ParamType.LONG, ParamType.FLOAT, ParamType.DOUBLE);
        });
    }

    @Test
    void withAppendsArgumentsAndLeavesBothUnchanged() {
        KernelArgs own = KernelArgs.builder().i32(1).f32(2f).build();
        KernelArgs more = KernelArgs.builder().i64(3).nullPointer().build();
        KernelArgs both = own.with(more);
        assertThat(both.types()).containsExactly(ParamType.INT, ParamType.FLOAT, ParamType.LONG, ParamType.POINTER);
        assertThat(both.bits(2)).isEqualTo(3);
        assertThat(both.bits(3)).isZero();
        assertThat(own.count()).isEqualTo(2);
        assertThat(more.count()).isEqualTo(2);
        both.checkPointersOpen(); // a null pointer refers to nothing that could be closed
    }

    @Test
    void yieldableKernelsEndWithThreeControlPointersThatTheQueueSupplies() {
        Kernel yieldable = new FakeKernel("y", List.of(ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER));
        LaunchConfig config = LaunchConfig.of(Dim3.of(4, 3, 2), Dim3.of(64));
        YieldableKernels.check(yieldable, config, KernelArgs.builder().i32(1).build());
        KernelArgs unmanaged = YieldableKernels.unmanaged(KernelArgs.builder().i32(1).build());
        assertThat(unmanaged.types()).containsExactly(ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER);
        assertThat(List.of(unmanaged.bits(1), unmanaged.bits(2), unmanaged.bits(3))).containsOnly(0L);
        assertThat(YieldableKernels.latchOffset(config)).as("one int per block of any grid shape").isEqualTo(4L * 24);
        assertThat(YieldableKernels.stateBytes(config)).as("the blocks' states, then the stop latch").isEqualTo(4L * 24 + 4);
        assertThatThrownBy(() -> YieldableKernels.check(new FakeKernel("n", List.of(ParamType.INT, ParamType.POINTER)), config,
                KernelArgs.builder().i32(1).build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not yieldable");
        assertThatThrownBy(() -> YieldableKernels.check(yieldable, config, KernelArgs.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 arguments before XSCHED_YIELD_PARAMS");
    }

    @Test
    void aBuilderStartedFromArgumentsAppendsToThemAndABuiltResultNeverChangesAfterwards() {
        qt().forAll(integers().all(), longs().all(), integers().between(0, 4)).checkAssert((i, l, more) -> {
            KernelArgs first = KernelArgs.builder().i32(i).i64(l).build();
            KernelArgs.Builder builder = KernelArgs.builder(first, more);
            for (int k = 0; k < more; k++) {
                builder.i32(k);
            }
            KernelArgs built = builder.build();
            assertThat(built.count()).isEqualTo(2 + more);
            assertThat((int) built.bits(0)).isEqualTo(i);
            assertThat(built.bits(1)).isEqualTo(l);
            for (int k = 0; k < more; k++) {
                assertThat(built.bits(2 + k)).isEqualTo(k);
            }
            // The result may hold the builder's arrays: adding to the builder must copy them first.
            builder.f64(1.5).i32(99);
            assertThat(built.count()).isEqualTo(2 + more);
            assertThat(built.types().subList(0, 2)).containsExactly(ParamType.INT, ParamType.LONG);
            assertThat(builder.build().count()).isEqualTo(4 + more);
            assertThat(first.count()).as("the leading arguments are unchanged").isEqualTo(2);
        });
        assertThat(KernelArgs.builder().build()).isSameAs(KernelArgs.none());
        assertThatThrownBy(() -> KernelArgs.builder(KernelArgs.none(), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leadingArgumentsAreCheckedAgainstTheFirstParameters() {
        Kernel kernel = new FakeKernel("k", List.of(ParamType.INT, ParamType.FLOAT, ParamType.POINTER));
        kernel.checkLeadingArgs(KernelArgs.builder().i32(1).f32(2f).build());
        kernel.checkLeadingArgs(KernelArgs.none());
        assertThatThrownBy(() -> kernel.checkLeadingArgs(KernelArgs.builder().i32(1).i32(2).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 1 is FLOAT");
        assertThatThrownBy(() -> kernel.checkLeadingArgs(KernelArgs.builder().i32(1).f32(2f).nullPointer().i32(4).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 4 leading ones");
        Kernel yieldable = new FakeKernel("y", List.of(ParamType.INT, ParamType.POINTER, ParamType.POINTER, ParamType.POINTER));
        assertThatThrownBy(() -> YieldableKernels.check(yieldable, LaunchConfig.of(1, 1), KernelArgs.builder().f32(1f).build()))
                .as("a yieldable launch's own arguments are checked by type")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 0 is INT");
    }

    @Test
    void aWrongArgumentCountIsRejectedWithTheSignature() {
        Kernel kernel = new FakeKernel("saxpy", List.of(ParamType.FLOAT, ParamType.POINTER, ParamType.POINTER, ParamType.INT));
        assertThatThrownBy(() -> kernel.checkArgs(KernelArgs.builder().f32(1f).i32(3).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel saxpy takes 4 arguments")
                .hasMessageContaining("got 2");
    }

    @Test
    void aWrongArgumentTypeOrSizeIsRejectedWithItsPosition() {
        Kernel kernel = new FakeKernel("scale", List.of(ParamType.INT, ParamType.LONG));
        assertThatThrownBy(() -> kernel.checkArgs(KernelArgs.builder().i32(1).i32(2).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 1 is LONG (8 bytes), got INT (4 bytes)");
        kernel.checkArgs(KernelArgs.builder().i32(1).i64(2).build());
    }

    @Test
    void noArgumentsMatchAnEmptySignature() {
        new FakeKernel("empty", List.of()).checkArgs(KernelArgs.none());
        assertThat(KernelArgs.none().count()).isZero();
    }
}
