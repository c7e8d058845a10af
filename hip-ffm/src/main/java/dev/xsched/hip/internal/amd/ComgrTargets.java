package dev.xsched.hip.internal.amd;

import dev.xsched.hip.internal.NativeLibraryLoader;
import dev.xsched.hip.internal.NativeLibraryLoader.Candidate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.xsched.hip.internal.panama.comgr.ComgrBindings.AMD_COMGR_STATUS_SUCCESS;
import static dev.xsched.hip.internal.panama.comgr.ComgrBindings.amd_comgr_get_isa_count;
import static dev.xsched.hip.internal.panama.comgr.ComgrBindings.amd_comgr_get_isa_name;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The GPU processors (gfx names) that the installed code object manager can compile for. hiprtc
 * compiles through comgr, and ROCm 5.2's hiprtc corrupts the process heap when given a target
 * comgr does not know, so the compiler checks the target here first.
 */
final class ComgrTargets {
    private static final List<String> NAMES = List.of("libamd_comgr.so", "libamd_comgr.so.3", "libamd_comgr.so.2");

    private ComgrTargets() {
    }

    /** The known processors, or empty if comgr cannot be loaded (then nothing is checked). */
    static Optional<Set<String>> load(Path hipLibrary, List<String> attempts) {
        List<Candidate> candidates = new ArrayList<>();
        NAMES.forEach(name -> candidates.add(Candidate.path("beside libamdhip64", hipLibrary.resolveSibling(name))));
        NAMES.forEach(name -> candidates.add(Candidate.soname(name)));
        NativeLibraryLoader.Result result = NativeLibraryLoader.loadFirst(candidates, "amd_comgr_get_isa_count");
        attempts.addAll(result.attempts());
        if (result.loaded().isEmpty()) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_LONG);
            if (amd_comgr_get_isa_count(count) != AMD_COMGR_STATUS_SUCCESS()) {
                return Optional.empty();
            }
            Set<String> processors = new TreeSet<>();
            MemorySegment name = arena.allocate(ADDRESS);
            for (long i = 0; i < count.get(JAVA_LONG, 0); i++) {
                if (amd_comgr_get_isa_name(i, name) == AMD_COMGR_STATUS_SUCCESS()) {
                    processors.add(processorOf(name.get(ADDRESS, 0).reinterpret(Long.MAX_VALUE).getString(0)));
                }
            }
            return Optional.of(Set.copyOf(processors));
        }
    }

    /** {@code amdgcn-amd-amdhsa--gfx90a:sramecc+:xnack-} and {@code gfx90a:xnack+} both give {@code gfx90a}. */
    static String processorOf(String isaOrTarget) {
        String s = isaOrTarget;
        int dashes = s.lastIndexOf("--");
        if (dashes >= 0) {
            s = s.substring(dashes + 2);
        }
        int colon = s.indexOf(':');
        return colon >= 0 ? s.substring(0, colon) : s;
    }
}
