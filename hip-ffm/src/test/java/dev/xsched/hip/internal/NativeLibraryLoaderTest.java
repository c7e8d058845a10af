package dev.xsched.hip.internal;

import dev.xsched.hip.internal.NativeLibraryLoader.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeLibraryLoaderTest {
    @Test
    void everyAttemptIsReportedWithTheLoadersOwnError(@TempDir Path dir) throws IOException {
        Path notALibrary = Files.writeString(dir.resolve("libfake.so"), "not an ELF file ".repeat(256));
        var result = NativeLibraryLoader.loadFirst(List.of(
                Candidate.path("test", dir.resolve("missing.so")),
                Candidate.path("test", notALibrary),
                Candidate.soname("libdefinitely-not-installed-xsched.so.9")), "anything");
        assertThat(result.loaded()).isEmpty();
        assertThat(result.attempts()).hasSize(3);
        assertThat(result.attempts().get(0)).endsWith("missing.so (test): no such file");
        assertThat(result.attempts().get(1)).contains("libfake.so").contains("invalid ELF header");
        assertThat(result.attempts().get(2)).contains("libdefinitely-not-installed-xsched.so.9")
                .contains("cannot open shared object file");
    }

    @Test
    void aLibraryWithoutTheProbeSymbolIsNotTaken() {
        var result = NativeLibraryLoader.loadFirst(List.of(Candidate.soname("libz.so.1")), "hipRuntimeGetVersion");
        assertThat(result.loaded()).isEmpty();
        assertThat(result.attempts()).singleElement().asString().contains("does not export hipRuntimeGetVersion");
    }

    @Test
    void aSonameResolvesToTheAbsolutePathOfTheLoadedFile() {
        var result = NativeLibraryLoader.loadFirst(List.of(Candidate.soname("libz.so.1")), "zlibVersion");
        assertThat(result.loaded()).hasValueSatisfying(path -> assertThat(path).isAbsolute().exists());
    }
}
