package dev.xsched.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A command's {@code --output} folder, made and tried before the command's work: a benchmark
 * writes its results at the end, and a folder it cannot write would otherwise throw away every
 * minute it measured.
 */
final class OutputFolder {
    private OutputFolder() {
    }

    /**
     * Makes {@code folder} (and its parents) if missing and writes and removes a file in it.
     *
     * @throws IOException naming the folder, when it cannot be made or written
     */
    static void requireWritable(Path folder) throws IOException {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".xsched-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("--output " + folder + ": the results could not be written there (" + e + ")", e);
        }
    }
}
