package dev.xsched.hip;

import java.util.List;
import java.util.Objects;

/**
 * Whether a platform can be used here, and why not. Probing never throws: a missing library, a
 * missing driver or a machine without devices comes back as a reason, with every place that was
 * tried (the dynamic loader's own error text included).
 *
 * @param platform   the platform's name ({@code amd}, {@code nvidia}, {@code sim})
 * @param available  whether {@link Hip#open(String)} will succeed
 * @param hasDevices whether at least one device was found
 * @param summary    one line: what was found, or why it is unusable
 * @param attempts   what was tried, in order, with each outcome
 */
public record Availability(String platform, boolean available, boolean hasDevices, String summary, List<String> attempts) {
    /**
     * Copies {@code attempts}.
     *
     * @throws NullPointerException     if {@code platform}, {@code summary} or {@code attempts} is null
     * @throws IllegalArgumentException if {@code hasDevices} is true and {@code available} false
     */
    public Availability {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(summary, "summary");
        attempts = List.copyOf(attempts);
        if (hasDevices && !available) {
            throw new IllegalArgumentException("a platform with devices is available");
        }
    }

    /**
     * A platform that opens, with or without devices (a loaded runtime that found none can still
     * compile).
     *
     * @param platform    the platform's name
     * @param deviceCount devices found; {@link #hasDevices()} is {@code deviceCount > 0}
     * @param summary     one line: versions and devices
     * @param attempts    what was tried, in order
     * @return an available platform
     */
    public static Availability usable(String platform, int deviceCount, String summary, List<String> attempts) {
        return new Availability(platform, true, deviceCount > 0, summary, attempts);
    }

    /**
     * A platform that cannot be opened here.
     *
     * @param platform the platform's name
     * @param reason   one line: why not (the library that is missing, the call that failed)
     * @param attempts what was tried, in order, with each outcome
     * @return an unavailable platform without devices
     */
    public static Availability unusable(String platform, String reason, List<String> attempts) {
        return new Availability(platform, false, false, reason, attempts);
    }

    /**
     * A multi-line description, as the exceptions of {@link Hip} carry it.
     *
     * @return {@code platform: summary}, then one {@code tried ...} line per attempt
     */
    public String describe() {
        var sb = new StringBuilder(platform).append(": ").append(summary);
        for (String attempt : attempts) {
            sb.append(System.lineSeparator()).append("    tried ").append(attempt);
        }
        return sb.toString();
    }
}
