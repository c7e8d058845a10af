package dev.xsched.hip.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Loads a native library from an ordered list of candidates and reports every attempt with the
 * dynamic loader's own error text (what LWJGL users are grateful for and JCuda users miss).
 *
 * <p>Candidates are absolute paths or bare sonames for the system loader ({@code ld.so.cache},
 * {@code LD_LIBRARY_PATH}). A library found either way is registered with {@link System#load},
 * which is what makes its symbols visible to the jextract-generated bindings (they resolve
 * through {@link SymbolLookup#loaderLookup()}). For a soname the absolute path is recovered with
 * {@code dladdr} on one of its symbols.
 */
public final class NativeLibraryLoader {
    private static final int RTLD_NOW = 2;

    private static final MethodHandle DLOPEN;
    private static final MethodHandle DLERROR;
    private static final MethodHandle DLSYM;
    private static final MethodHandle DLADDR;

    static {
        Linker linker = Linker.nativeLinker();
        // glibc >= 2.34 has the dl* functions in libc; older ones in libdl.so.2.
        SymbolLookup lookup = linker.defaultLookup();
        if (lookup.find("dlopen").isEmpty()) {
            lookup = SymbolLookup.libraryLookup("libdl.so.2", Arena.global());
        }
        DLOPEN = linker.downcallHandle(lookup.findOrThrow("dlopen"), FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        DLERROR = linker.downcallHandle(lookup.findOrThrow("dlerror"), FunctionDescriptor.of(ADDRESS));
        DLSYM = linker.downcallHandle(lookup.findOrThrow("dlsym"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        DLADDR = linker.downcallHandle(lookup.findOrThrow("dladdr"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /** Where to look: an absolute path, or a soname for the system loader. */
    public record Candidate(String origin, String name) {
        public static Candidate path(String origin, Path path) {
            return new Candidate(origin, path.toString());
        }

        public static Candidate soname(String soname) {
            return new Candidate("system loader", soname);
        }

        boolean isPath() {
            return name.contains("/");
        }
    }

    /** The outcome: the loaded file, if any, and every attempt in order. */
    public record Result(Optional<Path> loaded, List<String> attempts) {
        public Result {
            attempts = List.copyOf(attempts);
        }
    }

    private NativeLibraryLoader() {
    }

    /**
     * Tries the candidates in order and loads the first that opens and exports {@code probeSymbol}.
     */
    public static Result loadFirst(List<Candidate> candidates, String probeSymbol) {
        List<String> attempts = new ArrayList<>();
        for (Candidate candidate : candidates) {
            String label = candidate.name() + " (" + candidate.origin() + ")";
            if (candidate.isPath() && !Files.exists(Path.of(candidate.name()))) {
                attempts.add(label + ": no such file");
                continue;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(candidate.name()), RTLD_NOW);
                if (handle.equals(MemorySegment.NULL)) {
                    attempts.add(label + ": " + dlerror());
                    continue;
                }
                MemorySegment symbol = (MemorySegment) DLSYM.invokeExact(handle, arena.allocateFrom(probeSymbol));
                if (symbol.equals(MemorySegment.NULL)) {
                    attempts.add(label + ": opened, but it does not export " + probeSymbol);
                    continue;
                }
                Path file = candidate.isPath() ? Path.of(candidate.name()) : pathOf(symbol, arena);
                System.load(file.toAbsolutePath().toString());
                attempts.add(label + ": loaded " + file);
                return new Result(Optional.of(file), attempts);
            } catch (UnsatisfiedLinkError e) {
                attempts.add(label + ": " + e.getMessage());
            } catch (Throwable t) {
                attempts.add(label + ": " + t);
            }
        }
        return new Result(Optional.empty(), attempts);
    }

    /** Whether a symbol can be found in the libraries already loaded into the process. */
    public static boolean isExported(Path library, String symbol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(library.toString()), RTLD_NOW);
            if (handle.equals(MemorySegment.NULL)) {
                return false;
            }
            MemorySegment address = (MemorySegment) DLSYM.invokeExact(handle, arena.allocateFrom(symbol));
            return !address.equals(MemorySegment.NULL);
        } catch (Throwable t) {
            return false;
        }
    }

    private static Path pathOf(MemorySegment symbol, Arena arena) throws Throwable {
        // Dl_info { const char *dli_fname; void *dli_fbase; const char *dli_sname; void *dli_saddr; }
        MemorySegment info = arena.allocate(ADDRESS.byteSize() * 4, ADDRESS.byteAlignment());
        int ok = (int) DLADDR.invokeExact(symbol, info);
        if (ok == 0) {
            throw new IllegalStateException("dladdr could not name the file of a loaded library");
        }
        MemorySegment fileName = info.get(ADDRESS, 0);
        return Path.of(fileName.reinterpret(Long.MAX_VALUE).getString(0));
    }

    private static String dlerror() throws Throwable {
        MemorySegment message = (MemorySegment) DLERROR.invokeExact();
        return message.equals(MemorySegment.NULL) ? "unknown dlopen error" : message.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
