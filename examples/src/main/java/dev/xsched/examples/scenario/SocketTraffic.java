package dev.xsched.examples.scenario;

import dev.xsched.ipc.client.LinkTraffic;
import dev.xsched.ipc.client.ServerDecisionSource;

import java.util.function.Supplier;

/**
 * What crossed the scheduler server's socket, summed over the scenario's processes: state changes
 * to the server, decision frames from it, and of those the suspend/resume decisions for the LP
 * queue. Cumulative counts, or the difference of two (per HP request).
 *
 * @param toServer    state-change frames the processes sent (counter frames left out: they go once
 *                    a second, not per request)
 * @param fromServer  decision frames the processes received
 * @param lpDecisions suspend and resume decisions the LP process received
 * @param hpToServer  of {@code toServer}, the frames the HP process sent: its queue's ready and idle,
 *                    which tell whether the server heard of a request at all (0 in files from before
 *                    2026-12-05, which did not count them apart)
 */
record SocketTraffic(long toServer, long fromServer, long lpDecisions, long hpToServer) {
    /** No socket (one process, or a mode without XSched). */
    static final SocketTraffic NONE = new SocketTraffic(0, 0, 0, 0);

    /** Reads the HP process's link: its decisions are not the LP's. */
    static Supplier<SocketTraffic> ofHp(ServerDecisionSource source) {
        return () -> {
            LinkTraffic t = source.traffic();
            return new SocketTraffic(t.stateChanges(), t.decisionFrames(), 0, t.stateChanges());
        };
    }

    /** Reads the LP process's link: every suspend or resume it receives is the LP queue's. */
    static Supplier<SocketTraffic> ofLp(ServerDecisionSource source) {
        return () -> {
            LinkTraffic t = source.traffic();
            return new SocketTraffic(t.stateChanges(), t.decisionFrames(), t.suspends() + t.resumes(), 0);
        };
    }

    SocketTraffic minus(SocketTraffic earlier) {
        return new SocketTraffic(toServer - earlier.toServer, fromServer - earlier.fromServer, lpDecisions - earlier.lpDecisions,
                hpToServer - earlier.hpToServer);
    }

    SocketTraffic plus(SocketTraffic other) {
        return new SocketTraffic(toServer + other.toServer, fromServer + other.fromServer, lpDecisions + other.lpDecisions,
                hpToServer + other.hpToServer);
    }
}
