package dev.xsched.hip.internal.nvidia;

import dev.xsched.hip.Availability;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipError;
import dev.xsched.hip.internal.NativeLibraryLoader.Candidate;
import dev.xsched.hip.internal.RtcResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.xsched.hip.internal.panama.cuda.CudaBindings.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The parts of the NVIDIA platform that need no NVIDIA driver: discovery, the library search
 * order, the CUDA-to-HIP error table, names and versions. The rest runs in the {@code gpu} tests.
 */
class NvidiaPlatformTest {
    @Test
    void theNvidiaPlatformIsInstalledAfterAmd() {
        assertThat(Hip.platformNames()).containsSubsequence("amd", "nvidia");
    }

    @Test
    void withoutTheDriverTheProbeSaysWhyAndListsEveryAttempt() {
        String configured = Hip.configuredPlatform();
        assumeTrue(configured == null || configured.equals("nvidia"),
                "HIP_PLATFORM or -Dxsched.hip.platform names " + configured + ": the NVIDIA platform is not even tried");
        Availability probe = Hip.probe("nvidia");
        assumeFalse(probe.available(), "an NVIDIA driver is installed here; this test covers machines without one");
        assertThat(probe.hasDevices()).isFalse();
        assertThat(probe.summary()).contains("libcuda.so.1").contains("was not found").contains(NvidiaPlatformProvider.LIBRARY_ENV);
        assertThat(probe.attempts()).anyMatch(a -> a.startsWith("libcuda.so.1 (system loader): ") && a.contains("cannot open shared object file"));
        assertThat(probe.attempts()).anyMatch(a -> a.startsWith("libcuda.so (system loader): "));
        assertThat(probe.describe()).contains("tried libcuda.so.1");
        assertThatThrownBy(() -> Hip.open("nvidia")).isInstanceOf(IllegalStateException.class).hasMessageContaining("libcuda.so.1");
    }

    @Test
    void cudaIsSearchedWhereConfiguredThenThroughTheSystemLoader(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("libcuda.so.1"));
        List<Candidate> fromProperty = NvidiaLibraries.cudaCandidates(
                Map.of(NvidiaLibraries.CUDA_PROPERTY, dir.toString())::get, Map.of(NvidiaLibraries.CUDA_ENV, "/ignored")::get);
        assertThat(fromProperty).extracting(Candidate::name).containsExactly(
                dir.resolve("libcuda.so.1").toString(), dir.resolve("libcuda.so").toString(), "libcuda.so.1", "libcuda.so",
                "/usr/local/nvidia/lib64/libcuda.so.1");
        assertThat(fromProperty.getFirst().origin()).isEqualTo("-D" + NvidiaLibraries.CUDA_PROPERTY);

        List<Candidate> fromEnv = NvidiaLibraries.cudaCandidates(Map.<String, String>of()::get,
                Map.of(NvidiaLibraries.CUDA_ENV, "/opt/driver/libcuda.so.1")::get);
        assertThat(fromEnv).extracting(Candidate::name).containsExactly("/opt/driver/libcuda.so.1", "libcuda.so.1", "libcuda.so",
                "/usr/local/nvidia/lib64/libcuda.so.1");
    }

    @Test
    void nvrtcIsSearchedInTheToolkitFoldersThenThroughTheSystemLoader() {
        List<Candidate> candidates = NvidiaLibraries.nvrtcCandidates(Map.<String, String>of()::get,
                Map.of("CUDA_PATH", "/opt/cuda-13", "CUDA_HOME", "/opt/cuda-home")::get);
        assertThat(candidates).extracting(Candidate::name).containsExactly(
                "/opt/cuda-13/lib64/libnvrtc.so.13", "/opt/cuda-13/lib64/libnvrtc.so.12", "/opt/cuda-13/lib64/libnvrtc.so",
                "/opt/cuda-home/lib64/libnvrtc.so.13", "/opt/cuda-home/lib64/libnvrtc.so.12", "/opt/cuda-home/lib64/libnvrtc.so",
                "/usr/local/cuda/lib64/libnvrtc.so.13", "/usr/local/cuda/lib64/libnvrtc.so.12", "/usr/local/cuda/lib64/libnvrtc.so",
                "/usr/local/cuda/targets/x86_64-linux/lib/libnvrtc.so.13", "/usr/local/cuda/targets/x86_64-linux/lib/libnvrtc.so.12",
                "/usr/local/cuda/targets/x86_64-linux/lib/libnvrtc.so",
                "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");
        assertThat(NvidiaLibraries.nvrtcCandidates(Map.of(NvidiaLibraries.NVRTC_PROPERTY, "/x/libnvrtc.so.13")::get,
                Map.<String, String>of()::get).getFirst().name()).isEqualTo("/x/libnvrtc.so.13");
    }

    @Test
    void nvrtcIsAlsoSearchedInTheToolkitOfTheNvccOnThePath(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("cu13/bin"));
        Path nvcc = Files.createFile(bin.resolve("nvcc"));
        assertThat(nvcc.toFile().setExecutable(true)).isTrue();
        String path = "/nonexistent" + java.io.File.pathSeparator + bin;
        assertThat(NvidiaLibraries.nvccToolkit(path)).contains(dir.resolve("cu13"));
        assertThat(NvidiaLibraries.nvccToolkit("/nonexistent")).isEmpty();
        List<Candidate> candidates = NvidiaLibraries.nvrtcCandidates(Map.<String, String>of()::get, Map.of("PATH", path)::get);
        assertThat(candidates).extracting(Candidate::name)
                .contains(dir.resolve("cu13/lib64/libnvrtc.so.13").toString(), dir.resolve("cu13/lib/libnvrtc.so.13").toString());
        assertThat(candidates.getLast().name()).isEqualTo("libnvrtc.so");
    }

    @Test
    void cudaResultsMapToTheHipErrorsOfHipsOwnTable() {
        assertThat(CudaErrors.toHip(CUDA_SUCCESS())).isEqualTo(HipError.SUCCESS);
        assertThat(CudaErrors.toHip(CUDA_ERROR_OUT_OF_MEMORY())).isEqualTo(HipError.OUT_OF_MEMORY);
        assertThat(CudaErrors.toHip(CUDA_ERROR_ILLEGAL_ADDRESS())).isEqualTo(HipError.ILLEGAL_ADDRESS);
        assertThat(CudaErrors.toHip(CUDA_ERROR_ILLEGAL_ADDRESS()).code()).isEqualTo(700);
        assertThat(CudaErrors.toHip(CUDA_ERROR_NOT_READY())).isEqualTo(HipError.NOT_READY);
        assertThat(CudaErrors.toHip(CUDA_ERROR_NO_DEVICE())).isEqualTo(HipError.NO_DEVICE);
        assertThat(CudaErrors.toHip(CUDA_ERROR_INVALID_HANDLE())).isEqualTo(HipError.INVALID_HANDLE);
        assertThat(CudaErrors.toHip(CUDA_ERROR_LAUNCH_FAILED())).isEqualTo(HipError.LAUNCH_FAILURE);
        assertThat(CudaErrors.toHip(CUDA_ERROR_INVALID_PTX())).isEqualTo(HipError.INVALID_KERNEL_FILE);
        assertThat(CudaErrors.toHip(CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE())).isEqualTo(HipError.SET_ON_ACTIVE_PROCESS);
        assertThat(CudaErrors.toHip(CUDA_ERROR_ECC_UNCORRECTABLE())).isEqualTo(HipError.ECC_NOT_CORRECTABLE);
        // Not in HIP's table: HIP answers hipErrorUnknown, and so does hip-ffm (the CUDA name stays in the message).
        assertThat(CudaErrors.toHip(CUDA_ERROR_STUB_LIBRARY())).isEqualTo(HipError.UNKNOWN);
        assertThat(CudaErrors.toHip(CUDA_ERROR_MISALIGNED_ADDRESS())).isEqualTo(HipError.UNKNOWN);
        assertThat(CudaErrors.toHip(123_456)).isEqualTo(HipError.UNKNOWN);
    }

    @Test
    void faultsLeaveTheContextUnusableAndOrdinaryErrorsDoNot() {
        assertThat(CudaErrors.leavesContextUnusable(CUDA_ERROR_ILLEGAL_ADDRESS())).isTrue();
        assertThat(CudaErrors.leavesContextUnusable(CUDA_ERROR_LAUNCH_FAILED())).isTrue();
        assertThat(CudaErrors.leavesContextUnusable(CUDA_ERROR_MISALIGNED_ADDRESS())).isTrue();
        assertThat(CudaErrors.leavesContextUnusable(CUDA_ERROR_OUT_OF_MEMORY())).isFalse();
        assertThat(CudaErrors.leavesContextUnusable(CUDA_ERROR_NOT_READY())).isFalse();
        assertThat(CudaErrors.leavesContextUnusable(CUDA_ERROR_INVALID_VALUE())).isFalse();
    }

    @Test
    void architecturesVersionsAndCompilerResultsAreNamedAsNvidiaNamesThem() {
        assertThat(NvidiaDevice.architectureName(9, 0)).isEqualTo("sm_90");
        assertThat(NvidiaDevice.architectureName(8, 6)).isEqualTo("sm_86");
        assertThat(NvidiaDevice.architectureName(10, 0)).isEqualTo("sm_100");
        assertThat(NvidiaPlatform.formatCudaVersion(13000)).isEqualTo("13.0");
        assertThat(NvidiaPlatform.formatCudaVersion(12080)).isEqualTo("12.8");
        assertThat(NvidiaPlatform.formatCudaVersion(-1)).isEqualTo("unknown");
        assertThat(RtcResults.nvrtcName(0)).isEqualTo("NVRTC_SUCCESS");
        assertThat(RtcResults.nvrtcName(6)).isEqualTo("NVRTC_ERROR_COMPILATION");
        assertThat(RtcResults.nvrtcName(11)).isEqualTo("NVRTC_ERROR_INTERNAL_ERROR");
        assertThat(RtcResults.nvrtcName(16)).isEqualTo("NVRTC_ERROR_CANCELLED");
        assertThat(RtcResults.nvrtcName(99)).isEqualTo("NVRTC_ERROR_99");
    }

    @Test
    void anotherConfiguredPlatformKeepsTheDriverUnloadedUntilAskedFor() {
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        var runtime = new dev.xsched.hip.internal.RuntimeOnce(() -> {
            loads.incrementAndGet();
            return Availability.unusable("nvidia", "stand-in driver", java.util.List.of());
        });
        var provider = new NvidiaPlatformProvider(
                new dev.xsched.hip.internal.DiscoveryGate("nvidia", () -> "amd", null, null, path -> false), runtime);
        assertThat(provider.probe().summary()).startsWith("not loaded: HIP_PLATFORM").contains("names 'amd'");
        assertThat(loads).hasValue(0);
        assertThat(provider.load().summary()).isEqualTo("stand-in driver");
        assertThat(loads).hasValue(1);
    }

    @Test
    void everyBoundDriverFunctionIsCheckedAtLoadTime() throws IOException {
        String bindings = Files.readString(Path.of("src/main/java/dev/xsched/hip/internal/panama/cuda/CudaBindings.java"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("public static int (cu\\w+)\\(").matcher(bindings);
        java.util.Set<String> bound = new java.util.TreeSet<>();
        while (m.find()) {
            bound.add(m.group(1));
        }
        assertThat(NvidiaLibraries.REQUIRED_CUDA_SYMBOLS).containsExactlyInAnyOrderElementsOf(bound);
    }
}
