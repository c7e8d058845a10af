package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Availability;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.internal.NativeLibraryLoader;
import dev.xsched.hip.internal.NativeLibraryLoader.Candidate;
import dev.xsched.hip.spi.PlatformProvider;
import dev.xsched.hip.spi.ProviderName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AMD platform: the HIP runtime ({@code libamdhip64}) through jextract bindings.
 *
 * <p>Library search order, first hit wins:
 * <ol>
 *   <li>system property {@value #LIBRARY_PROPERTY}, then environment variable {@value #LIBRARY_ENV}:
 *       the library file, or a folder holding it;</li>
 *   <li>{@code $ROCM_PATH/lib};</li>
 *   <li>{@code /opt/rocm/lib};</li>
 *   <li>the system loader ({@code ld.so.cache}, {@code LD_LIBRARY_PATH}).</li>
 * </ol>
 * In each place the names {@code libamdhip64.so}, {@code .so.7}, {@code .so.6}, {@code .so.5}
 * are tried, so ROCm 5 to 7 load. hiprtc comes from {@code libhiprtc} (ROCm 6 and later) when
 * present beside it or on the system, else from {@code libamdhip64} itself (ROCm 5).
 */
@ProviderName(value = "amd", order = 10)
public final class AmdPlatformProvider implements PlatformProvider {
    public static final String LIBRARY_PROPERTY = "xsched.hip.library";
    public static final String LIBRARY_ENV = "XSCHED_HIP_LIBRARY";
    static final List<String> HIP_NAMES = List.of("libamdhip64.so", "libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so.5");
    static final List<String> HIPRTC_NAMES = List.of("libhiprtc.so", "libhiprtc.so.7", "libhiprtc.so.6");

    /** Loading and initialising happen once per process; the outcome is kept, success or not. */
    private static final class Loaded {
        static final Object RESULT = load();
    }

    private static Object load() {
        List<String> attempts = new ArrayList<>();
        NativeLibraryLoader.Result hip = NativeLibraryLoader.loadFirst(hipCandidates(), "hipRuntimeGetVersion");
        attempts.addAll(hip.attempts());
        if (hip.loaded().isEmpty()) {
            return Availability.unusable("amd",
                    "the HIP runtime (libamdhip64) was not found; install ROCm or Debian's libamdhip64-5, or set "
                            + LIBRARY_ENV + "=/path/to/libamdhip64.so",
                    attempts);
        }
        Path hipLibrary = hip.loaded().get();
        String rtcOrigin = loadHiprtc(hipLibrary, attempts);
        try {
            return new AmdPlatform(hipLibrary, rtcOrigin, attempts);
        } catch (HipException | IllegalStateException e) {
            return Availability.unusable("amd", "the HIP runtime at " + hipLibrary + " failed to initialise: "
                    + e.getMessage(), attempts);
        }
    }

    private static String loadHiprtc(Path hipLibrary, List<String> attempts) {
        List<Candidate> candidates = new ArrayList<>();
        for (String name : HIPRTC_NAMES) {
            candidates.add(Candidate.path("beside libamdhip64", hipLibrary.resolveSibling(name)));
        }
        HIPRTC_NAMES.forEach(name -> candidates.add(Candidate.soname(name)));
        NativeLibraryLoader.Result rtc = NativeLibraryLoader.loadFirst(candidates, "hiprtcCompileProgram");
        if (rtc.loaded().isPresent()) {
            attempts.addAll(rtc.attempts());
            return rtc.loaded().get().toString();
        }
        if (NativeLibraryLoader.isExported(hipLibrary, "hiprtcCompileProgram")) {
            attempts.add("hiprtc: built into " + hipLibrary + " (ROCm 5)");
            return hipLibrary.toString();
        }
        attempts.addAll(rtc.attempts());
        return null;
    }

    static List<Candidate> hipCandidates() {
        return rocmCandidates(LIBRARY_PROPERTY, LIBRARY_ENV, HIP_NAMES);
    }

    /**
     * A ROCm library (HIP, hipBLAS): the system property, then the environment variable (a file or
     * a folder); {@code $ROCM_PATH/lib}; {@code /opt/rocm/lib}; the system loader. Each place tries every name.
     */
    static List<Candidate> rocmCandidates(String property, String env, List<String> names) {
        List<Candidate> candidates = new ArrayList<>();
        String explicit = System.getProperty(property);
        String origin = "-D" + property;
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(env);
            origin = "$" + env;
        }
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (Files.isDirectory(path)) {
                for (String name : names) {
                    candidates.add(Candidate.path(origin, path.resolve(name)));
                }
            } else {
                candidates.add(Candidate.path(origin, path));
            }
        }
        String rocmPath = System.getenv("ROCM_PATH");
        if (rocmPath != null && !rocmPath.isBlank()) {
            for (String name : names) {
                candidates.add(Candidate.path("$ROCM_PATH", Path.of(rocmPath, "lib", name)));
            }
        }
        for (String name : names) {
            candidates.add(Candidate.path("/opt/rocm", Path.of("/opt/rocm/lib", name)));
        }
        names.forEach(name -> candidates.add(Candidate.soname(name)));
        return candidates;
    }

    @Override
    public Availability probe() {
        return switch (Loaded.RESULT) {
            case AmdPlatform platform -> platform.availability();
            case Availability unusable -> unusable;
            default -> throw new AssertionError(Loaded.RESULT);
        };
    }

    @Override
    public HipPlatform open() {
        return switch (Loaded.RESULT) {
            case AmdPlatform platform -> platform;
            case Availability unusable -> throw new IllegalStateException(unusable.describe());
            default -> throw new AssertionError(Loaded.RESULT);
        };
    }
}
