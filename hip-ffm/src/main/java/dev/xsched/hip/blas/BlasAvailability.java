package dev.xsched.hip.blas;

import java.util.List;
import java.util.Objects;

/**
 * Whether a platform's BLAS library can be used here, and why not. Probing never throws: a missing
 * library comes back as a reason, with every place that was tried (the dynamic loader's own error
 * text included).
 *
 * @param platform  the hip-ffm platform ({@code nvidia}, {@code amd}, {@code sim})
 * @param library   the library's name ({@code cuBLAS}, {@code hipBLAS})
 * @param available whether {@link Blas#open} can use it
 * @param summary   one line: the version and file found, or why it is unusable
 * @param attempts  what was tried, in order, with each outcome
 */
public record BlasAvailability(String platform, String library, boolean available, String summary, List<String> attempts) {
    /**
     * Copies {@code attempts}.
     *
     * @throws NullPointerException if an argument is null
     */
    public BlasAvailability {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(summary, "summary");
        attempts = List.copyOf(attempts);
    }

    /**
     * A multi-line description, as {@link Blas#open}'s exception carries it.
     *
     * @return {@code library (platform): summary}, then one {@code tried ...} line per attempt
     */
    public String describe() {
        var sb = new StringBuilder(library).append(" (").append(platform).append("): ").append(summary);
        for (String attempt : attempts) {
            sb.append(System.lineSeparator()).append("    tried ").append(attempt);
        }
        return sb.toString();
    }
}
