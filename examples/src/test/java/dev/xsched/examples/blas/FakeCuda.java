package dev.xsched.examples.blas;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.blas.Blas;
import dev.xsched.hip.blas.BlasAvailability;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NVIDIA platform on hip-ffm's fake CUDA driver and fake cuBLAS, for the examples' tests that
 * run in surefire's {@code fake-cuda} execution of this module (see its pom); elsewhere they skip
 * and say why.
 */
public final class FakeCuda {
    private FakeCuda() {
    }

    /** The NVIDIA platform over the fakes, with cuBLAS usable; skips the test otherwise. */
    public static HipPlatform platformWithCublas() {
        String library = System.getProperty("xsched.cuda.library", "");
        assumeTrue(library.contains("fake-cuda"), "runs in the examples' fake-cuda execution, which points "
                + "xsched.cuda.library at hip-ffm's fake CUDA driver");
        Availability driver = Hip.probe("nvidia");
        assumeTrue(driver.available(), () -> "hip-ffm's fake CUDA driver is not built (the hip-ffm module's test phase "
                + "builds it with gcc; run the whole build, or -pl examples -am): " + driver.summary());
        BlasAvailability cublas = Blas.probe("nvidia");
        assumeTrue(cublas.available(), () -> "hip-ffm's fake cuBLAS is not built: " + cublas.summary());
        return Hip.open("nvidia");
    }
}
