package dev.xsched.examples.adoption;

import dev.xsched.examples.blas.FakeCuda;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code xsched example adopt-stream} on the fake CUDA driver and fake cuBLAS, and its refusal elsewhere. */
class ForeignStreamGemmFakeCudaTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static long liveStreams() throws Throwable {
        return (long) Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().findOrThrow("fake_cuda_live_streams"),
                FunctionDescriptor.of(JAVA_LONG)).invokeExact();
    }

    @Test
    void theAdoptedStreamRunsAGemmThroughAnXQueueAndStaysItsMakersToDestroy() throws Throwable {
        HipPlatform nvidia = FakeCuda.platformWithCublas();
        long before = liveStreams();
        assertThat(ForeignStreamGemm.run(nvidia, out)).isZero();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("the other binding created CUstream 0x")
                .contains("(priority 0 read from the driver)")
                .contains("largest difference from the host 0")
                .contains("the other binding destroyed its stream");
        assertThat(liveStreams()).as("destroyed once, by its maker").isEqualTo(before);
    }

    @Test
    void onAPlatformWithoutCudaStreamsItSaysWhy() {
        assertThat(ForeignStreamGemm.run(Hip.open("sim"), out)).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("needs the nvidia platform").contains("is sim");
    }
}
