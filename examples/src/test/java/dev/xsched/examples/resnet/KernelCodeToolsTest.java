package dev.xsched.examples.resnet;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two tools of docs/tensor-cores.md's "Reading the kernels' machine code": {@link KernelSource}
 * writes the source a device compiles, and docs/device/sass_loops.py counts what each loop of a
 * kernel's disassembly reloads and saves (run here on a listing in nvdisasm's format, since
 * neither nvcc nor nvdisasm is installed where the tests run).
 */
class KernelCodeToolsTest {
    private static final Path SASS_LOOPS = Path.of("..", "docs", "device", "sass_loops.py");

    @Test
    void kernelSourceWritesTheSourceTheDevicesCompile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("resnet.cu");
        KernelSource.main(new String[] {out.toString()});
        assertThat(Files.readString(out)).isEqualTo(ResNetKernels.source())
                .contains("conv2d_tf32_128x128_point_persist").contains("#define XSCHED_TC_PERSIST_OPAQUE 0\n");
    }

    @Test
    void sassLoopsCountsEachLoopsReloadsSavesAndMultiplies(@TempDir Path dir) throws Exception {
        assumeTrue(ExternalCommand.python3Works(), "python3 is not installed here");
        Path listing = dir.resolve("k.sass");
        Files.writeString(listing, """
                .text.other:
                        /*0000*/                   LDL R2, [R1] ;
                .text.k:
                        /*0000*/                   MOV R1, c[0x0][0x28] ;
                .L_x_1:
                        /*0010*/                   HMMA.1688.F32.TF32 R4, R8, R12, R4 ;
                        /*0020*/                   LDL R20, [R1+0x10] ;
                        /*0030*/                   STL [R1+0x14], R21 ;
                        /*0040*/                   LDS.128 R24, [R3] ;
                        /*0050*/                   BAR.SYNC.DEFER_BLOCKING 0x0 ;
                        /*0060*/              @P0 BRA `(.L_x_1) ;
                        /*0070*/              @P1 BRA `(.L_x_2) ;
                .L_x_2:
                        /*0080*/                   EXIT ;
                """);
        ExternalCommand.Result r = ExternalCommand.python3(Duration.ofSeconds(30), SASS_LOOPS.toString(), listing.toString(), "k");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("k: 9 instructions, 1 loops")
                .contains("loop [1, 6], 6 instructions: HMMA 1 LDL 1 STL 1 LDS 1 LDGSTS 0 BAR 1");
        ExternalCommand.Result missing = ExternalCommand.python3(Duration.ofSeconds(30), SASS_LOOPS.toString(),
                listing.toString(), "absent");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("absent: not in");
    }
}
