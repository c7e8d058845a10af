package dev.xsched.hip.internal.amd;

import dev.xsched.hip.Availability;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.internal.DiscoveryGate;
import dev.xsched.hip.internal.NativeLibraryLoader;
import dev.xsched.hip.internal.NativePlatformProvider;
import dev.xsched.hip.internal.NativeLibraryLoader.Candidate;
import dev.xsched.hip.internal.RuntimeOnce;
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
 *
 * <p>Probing does not load the runtime without {@code /dev/kfd} (the ROCm kernel driver's node:
 * without it ROCm cannot see a GPU) or when {@code HIP_PLATFORM} names another platform; see
 * {@link DiscoveryGate}. {@link #open()} and {@link #load()} load it regardless.
 */
@ProviderName(value = "amd", order = 10)
public final class AmdPlatformProvider extends NativePlatformProvider {
    public static final String LIBRARY_PROPERTY = "xsched.hip.library";
    public static final String LIBRARY_ENV = "XSCHED_HIP_LIBRARY";
    static final List<String> HIP_NAMES = List.of("libamdhip64.so", "libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so.5");
    static final List<String> HIPRTC_NAMES = List.of("libhiprtc.so", "libhiprtc.so.7", "libhiprtc.so.6");

    /** The ROCm kernel driver's node: ROCm finds no GPU without it. */
    static final Path KFD = Path.of("/dev/kfd");

    /** Loading and initialising happen once per process; the outcome is kept, success or not. */
    private static final RuntimeOnce RUNTIME = new RuntimeOnce(AmdPlatformProvider::loadRuntime);

    public AmdPlatformProvider() {
        this(DiscoveryGate.of("amd", Hip::configuredPlatform, KFD, "no ROCm kernel driver, so ROCm can see no AMD GPU"),
                RUNTIME);
    }

    AmdPlatformProvider(DiscoveryGate gate, RuntimeOnce runtime) {
        super("amd", gate, runtime);
    }

    private static Object loadRuntime() {
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
        } catch (RuntimeException | LinkageError e) {
            // Probing never throws: a runtime lacking a bound symbol (an older ROCm), or anything
            // unexpected, is a reason too.
            return Availability.unusable("amd", "the HIP runtime at " + hipLibrary + " could not be used: " + e, attempts);
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
    protected Availability availabilityOf(HipPlatform platform) {
        return ((AmdPlatform) platform).availability();
    }
}
