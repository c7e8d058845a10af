package dev.xsched.hip.internal.amd;

/**
 * Where a HIP runtime's version stands against the headers that the bindings' prototypes, enum
 * values, flags and struct sizes were checked against ({@code docs/portability.md},
 * {@code jextract/check-abi.py}). Everything hip-ffm calls and passes is the same in all of them,
 * so one set of bindings serves them all; a runtime outside that range is used the same way, and
 * its probe says that nothing was checked for it.
 */
final class HipHeaderSupport {
    /** HIP 5.2 (Debian 12's libamdhip64-5), the headers the bindings are generated from. */
    static final int OLDEST_CHECKED = 50_200_000;
    /** The newest headers checked: HIP 7.1 (the ROCm 7.1 release); 7.x is the last major. */
    static final int NEWEST_CHECKED_MAJOR = 7;

    private HipHeaderSupport() {
    }

    /** One line for the probe's attempts, for {@code hipRuntimeGetVersion}'s {@code version} (-1: unknown). */
    static String describe(int version) {
        String range = "the bindings' prototypes, enum values, flags and struct sizes were checked against the HIP 5.2, "
                + "5.7, 6.0, 6.1, 6.2, 6.3 (development) and 7.1 headers (docs/portability.md)";
        if (version < 0) {
            return "HIP header check: runtime version unknown; " + range;
        }
        String formatted = AmdPlatform.formatHipVersion(version);
        if (version < OLDEST_CHECKED) {
            return "HIP header check: runtime " + formatted + " is older than any header compared; " + range;
        }
        if (version / 10_000_000 > NEWEST_CHECKED_MAJOR) {
            return "HIP header check: runtime " + formatted + " is newer than any header compared (values are assumed "
                    + "unchanged); " + range;
        }
        return "HIP header check: runtime " + formatted + " is within the range compared; " + range;
    }
}
