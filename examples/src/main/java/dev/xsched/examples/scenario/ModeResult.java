package dev.xsched.examples.scenario;

import dev.xsched.examples.bench.Mode;

/**
 * The figures of one mode.
 *
 * @param mode             the mode measured
 * @param hp               the high-priority latencies
 * @param hpRequests       high-priority requests completed in the measured window (0 if HP did not run)
 * @param hpAchievedRps    completed HP requests per second
 * @param lpIterations     LP forward passes completed in the window (0 if LP did not run)
 * @param lpItersPerSec    LP forward passes per second
 * @param lpImagesPerSec   LP images per second
 * @param seconds          the measured window
 * @param startEpochMillis start of the measured window (wall clock, for the .hlog)
 * @param serverCpu        the scheduler server's CPU use over the window, where a server scheduled the mode; else null
 */
record ModeResult(Mode mode, Latencies hp, long hpRequests, double hpAchievedRps, long lpIterations,
                  double lpItersPerSec, double lpImagesPerSec, double seconds, long startEpochMillis, ServerCpu serverCpu) {
    /** A mode that no scheduler server took part in. */
    ModeResult(Mode mode, Latencies hp, long hpRequests, double hpAchievedRps, long lpIterations, double lpItersPerSec,
               double lpImagesPerSec, double seconds, long startEpochMillis) {
        this(mode, hp, hpRequests, hpAchievedRps, lpIterations, lpItersPerSec, lpImagesPerSec, seconds, startEpochMillis, null);
    }

    boolean hasHp() {
        return hpRequests > 0;
    }

    boolean hasLp() {
        return lpIterations > 0;
    }

    long endEpochMillis() {
        return startEpochMillis + Math.round(seconds * 1000);
    }
}
