package dev.xsched.hip.internal.amd;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.xsched.hip.internal.panama.hip.HipBindings.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The values hip-ffm passes to the HIP runtime, pinned to what docs/portability.md verified: they
 * are the same in the HIP 5.2, 5.7, 6.0, 6.1, 6.2, 6.3 (development), 7.1 and 7.12 headers, which is
 * why one set of bindings serves every ROCm from 5 to 7. A regeneration from headers where one
 * differs fails here, and the value must then be chosen by runtime version at load time. The ABI
 * checker that compared those headers with the bindings runs here on the headers installed.
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

    /**
     * The documented ABI checker (jextract/check-abi.py), run on the headers the bindings come from
     * (Debian's HIP 5.2 and comgr 2.4): every bound prototype, constant, flag and struct size matches
     * the committed FunctionDescriptors, and no active #define renames a bound function.
     */
    @Test
    void theAbiCheckerFindsTheBindingsMatchTheirOwnHeaders() throws Exception {
        assumeHeaders();
        Checked hip = checkAbi("--target", "hip", "/usr/include/hip");
        assertThat(hip.exit()).as(hip.output()).isZero();
        assertThat(hip.output()).containsPattern("(?m)^SUMMARY  hip /usr/include/hip: \\d+ OK, \\d+ NOTE, 0 WARN, 0 FAIL$")
                .contains("OK       function hipModuleLaunchKernel: hipError_t hipModuleLaunchKernel(hipFunction_t, unsigned int, "
                        + "unsigned int, unsigned int, unsigned int, unsigned int, unsigned int, unsigned int, hipStream_t, void**, "
                        + "void**) -> i32(ptr, i32, i32, i32, i32, i32, i32, i32, ptr, ptr, ptr)")
                .contains("OK       function hipMemcpy: hipError_t hipMemcpy(void*, const void*, size_t, hipMemcpyKind) -> i32(ptr, ptr, i64, i32)")
                .contains("OK       function hiprtcCreateProgram: ")
                .contains("OK       struct hipUUID: 16 bytes");
        verified().forEach((name, value) -> assertThat(hip.output()).as(name)
                .containsPattern("(?m)^OK +(constant|flag) " + name + ": (" + value + "|0x" + Integer.toHexString(value) + ")$"));
        long bound = Files.readAllLines(Path.of("../jextract/hip/includes.txt")).stream()
                .filter(l -> l.startsWith("--include-function ")).count();
        assertThat(hip.output().lines().filter(l -> l.startsWith("OK       function ")).count())
                .as("one line per function in jextract/hip/includes.txt").isEqualTo(bound).isEqualTo(50);

        Path comgr = Path.of("/usr/include/amd_comgr.h");
        assumeTrue(Files.isRegularFile(comgr), "comgr's header is not installed here (apt-get install libamd-comgr-dev)");
        Checked checked = checkAbi("--target", "comgr", comgr.toString());
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output()).contains("OK       function amd_comgr_get_isa_name: amd_comgr_status_t "
                + "amd_comgr_get_isa_name(size_t, const char**) -> i32(i64, ptr)");
    }

    /** The checker is not a rubber stamp: a changed parameter, an active rename, a moved flag and a resized struct each fail. */
    @Test
    void theAbiCheckerFailsOnEveryKindOfDifference(@TempDir Path copy) throws Exception {
        assumeHeaders();
        Path source = Path.of("/usr/include/hip");
        try (var files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Path api = copy.resolve("hip_runtime_api.h");
        String text = Files.readString(api);
        String changed = text
                .replace("hipError_t hipMemcpy(void* dst, const void* src, size_t sizeBytes, hipMemcpyKind kind);",
                        "hipError_t hipMemcpy(void* dst, const void* src, int sizeBytes, hipMemcpyKind kind);")
                .replace("char bytes[16];", "char bytes[20];")
                .replaceFirst("#define hipEventDisableTiming +0x2", "#define hipEventDisableTiming 0x4")
                + "\n#define hipMalloc hipMallocR0600\n";
        assertThat(changed).as("the edits apply to Debian's header").isNotEqualTo(text)
                .contains("int sizeBytes").contains("bytes[20]").contains("hipEventDisableTiming 0x4");
        Files.writeString(api, changed);

        Checked checked = checkAbi("--target", "hip", copy.toString());
        assertThat(checked.exit()).as(checked.output()).isEqualTo(1);
        assertThat(checked.output())
                .contains("FAIL     function hipMemcpy: header hipError_t hipMemcpy(void*, const void*, int, hipMemcpyKind) is "
                        + "i32(ptr, ptr, i32, i32), the bindings call i32(ptr, ptr, i64, i32)")
                .contains("FAIL     function hipMalloc: #define hipMalloc hipMallocR0600")
                .contains("FAIL     flag hipEventDisableTiming: header 4, hip-ffm passes 2")
                .contains("FAIL     struct hipUUID: size 20 in the headers, hip-ffm allocates 16 bytes")
                .containsPattern("(?m)^SUMMARY .* 4 FAIL$");
    }

    private static void assumeHeaders() {
        assumeTrue(Files.isRegularFile(Path.of("/usr/include/hip/hip_runtime_api.h")),
                "the HIP headers are not installed here (apt-get install libamdhip64-dev)");
    }

    private record Checked(int exit, String output) {
    }

    /** Runs check-abi.py, at most 60 s (ExternalCommand kills it and fails the test past that). */
    private static Checked checkAbi(String... arguments) throws Exception {
        List<String> args = new ArrayList<>(List.of("../jextract/check-abi.py"));
        args.addAll(List.of(arguments));
        ExternalCommand.Result run = ExternalCommand.python3(Duration.ofSeconds(60), args.toArray(String[]::new));
        assumeTrue(run.exitCode() != -1, "python3 is not installed here: " + run.output());
        return new Checked(run.exitCode(), run.output());
    }
}
