package dev.xsched.hip.internal.amd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The values hip-ffm passes to the HIP runtime, pinned to what docs/portability.md verified: they
 * are the same in the HIP 5.2, 5.7, 6.0, 6.2, 6.3 (development) and 7.12 headers, which is why one
 * set of bindings serves every ROCm from 5 to 7. A regeneration from headers where one differs
 * fails here, and the value must then be chosen by runtime version at load time.
 */
class HipPortabilityTest {
    /** Name -> value in every header compared (docs/portability.md, "Constants"). */
    static Map<String, Integer> verified() {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("hipSuccess", 0);
        values.put("hipErrorNotReady", 600);
        values.put("hipErrorNoDevice", 100);
        values.put("hipHostMallocMapped", 0x2);
        values.put("hipHostMallocPortable", 0x1);
        values.put("hipMemcpyHostToDevice", 1);
        values.put("hipMemcpyDeviceToHost", 2);
        values.put("hipMemcpyDeviceToDevice", 3);
        values.put("hipMemcpyDefault", 4);
        values.put("hipDeviceAttributeMultiprocessorCount", 63);
        values.put("hipDeviceAttributeClockRate", 5);
        values.put("hipDeviceAttributeMemoryClockRate", 60);
        values.put("hipDeviceAttributeMemoryBusWidth", 59);
        values.put("hipDeviceAttributeWarpSize", 87);
        values.put("hipDeviceAttributeMaxThreadsPerBlock", 56);
        values.put("hipDeviceAttributeMaxSharedMemoryPerBlock", 74);
        values.put("hipDeviceAttributeL2CacheSize", 19);
        values.put("hipDeviceAttributeComputeCapabilityMajor", 23);
        values.put("hipDeviceAttributeComputeCapabilityMinor", 61);
        values.put("hipDeviceAttributeConcurrentKernels", 8);
        values.put("hipDeviceAttributeMaxBlockDimX", 26);
        values.put("hipDeviceAttributeMaxGridDimX", 29);
        values.put("hipDeviceAttributePciBusId", 67);
        values.put("HIPRTC_SUCCESS", 0);
        values.put("HIPRTC_ERROR_COMPILATION", 6);
        values.put("hipStreamNonBlocking", 0x1);
        values.put("hipEventBlockingSync", 0x1);
        values.put("hipEventDisableTiming", 0x2);
        return values;
    }

    /** What the code passes: the generated constants, and the three flags AmdDevice writes as numbers. */
    static Map<String, Integer> used() {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("hipSuccess", hipSuccess());
        values.put("hipErrorNotReady", hipErrorNotReady());
        values.put("hipErrorNoDevice", hipErrorNoDevice());
        values.put("hipHostMallocMapped", hipHostMallocMapped());
        values.put("hipHostMallocPortable", hipHostMallocPortable());
        values.put("hipMemcpyHostToDevice", hipMemcpyHostToDevice());
        values.put("hipMemcpyDeviceToHost", hipMemcpyDeviceToHost());
        values.put("hipMemcpyDeviceToDevice", hipMemcpyDeviceToDevice());
        values.put("hipMemcpyDefault", hipMemcpyDefault());
        values.put("hipDeviceAttributeMultiprocessorCount", hipDeviceAttributeMultiprocessorCount());
        values.put("hipDeviceAttributeClockRate", hipDeviceAttributeClockRate());
        values.put("hipDeviceAttributeMemoryClockRate", hipDeviceAttributeMemoryClockRate());
        values.put("hipDeviceAttributeMemoryBusWidth", hipDeviceAttributeMemoryBusWidth());
        values.put("hipDeviceAttributeWarpSize", hipDeviceAttributeWarpSize());
        values.put("hipDeviceAttributeMaxThreadsPerBlock", hipDeviceAttributeMaxThreadsPerBlock());
        values.put("hipDeviceAttributeMaxSharedMemoryPerBlock", hipDeviceAttributeMaxSharedMemoryPerBlock());
        values.put("hipDeviceAttributeL2CacheSize", hipDeviceAttributeL2CacheSize());
        values.put("hipDeviceAttributeComputeCapabilityMajor", hipDeviceAttributeComputeCapabilityMajor());
        values.put("hipDeviceAttributeComputeCapabilityMinor", hipDeviceAttributeComputeCapabilityMinor());
        values.put("hipDeviceAttributeConcurrentKernels", hipDeviceAttributeConcurrentKernels());
        values.put("hipDeviceAttributeMaxBlockDimX", hipDeviceAttributeMaxBlockDimX());
        values.put("hipDeviceAttributeMaxGridDimX", hipDeviceAttributeMaxGridDimX());
        values.put("hipDeviceAttributePciBusId", hipDeviceAttributePciBusId());
        values.put("HIPRTC_SUCCESS", HIPRTC_SUCCESS());
        values.put("HIPRTC_ERROR_COMPILATION", HIPRTC_ERROR_COMPILATION());
        values.put("hipStreamNonBlocking", AmdDevice.STREAM_NON_BLOCKING);
        values.put("hipEventBlockingSync", AmdDevice.EVENT_BLOCKING_SYNC);
        values.put("hipEventDisableTiming", AmdDevice.EVENT_DISABLE_TIMING);
        return values;
    }

    @Test
    void everyValuePassedToTheRuntimeIsTheOneVerifiedAcrossRocm5To7() {
        assertThat(used()).containsExactlyEntriesOf(verified());
    }

    @Test
    void theProbeSaysWhereTheRuntimeStandsAgainstTheHeadersCompared() {
        assertThat(HipHeaderSupport.describe(50_221_153)).startsWith("HIP header check: runtime 5.2.21153 is within the range");
        assertThat(HipHeaderSupport.describe(70_151_000)).contains("runtime 7.1.51000 is within the range");
        assertThat(HipHeaderSupport.describe(80_000_000)).contains("is newer than any header compared");
        assertThat(HipHeaderSupport.describe(40_500_000)).contains("is older than any header compared");
        assertThat(HipHeaderSupport.describe(-1)).contains("runtime version unknown").contains("docs/portability.md");
    }

    /** The documented comparison script, run on the headers the bindings come from (Debian's HIP 5.2). */
    @Test
    void theComparisonScriptReadsTheSameValuesFromTheHeaders() throws Exception {
        Path headers = Path.of("/usr/include/hip");
        assumeTrue(Files.isRegularFile(headers.resolve("hip_runtime_api.h")),
                "the HIP headers are not installed here (apt-get install libamdhip64-dev)");
        Process process;
        try {
            process = new ProcessBuilder("python3", "../jextract/hip/compare-headers.py", headers.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "python3 is not installed here: " + e.getMessage());
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        verified().forEach((name, value) -> assertThat(output).as(name)
                .containsPattern("(?m)^" + name + ": (" + value + "|0x0*" + Integer.toHexString(value) + ")$"));
        assertThat(output).contains("function hipModuleLaunchKernel: hipError_t(hipFunction_t, unsigned int, unsigned int, "
                + "unsigned int, unsigned int, unsigned int, unsigned int, unsigned int, hipStream_t, void**, void**)");
    }
}
