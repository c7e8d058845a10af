package dev.xsched.examples.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LpMarksTest {
    private static final long PERIOD = 50_000_000L;
    private static final long WARMUP = 1_000_000_000L; // arrival 20 is the first measured one

    private static LpMarks.Mark mark(long arrival, long yields, long suspensions, long suspendedNanos, long toServer,
                                     long fromServer, long decisions) {
        // The latest suspension began 0.25 ms after the arrival before this mark's.
        return new LpMarks.Mark(arrival, 50_000, yields, suspensions, suspendedNanos, (arrival - 1) * PERIOD + 250_000,
                new SocketTraffic(toServer, fromServer, decisions, 0));
    }

    @Test
    void eachRequestGetsTheLpSideFromItsArrivalsMarkToTheNextOnesAndBothProcessesTraffic() {
        var hp = List.of(
                new RequestBreakdown.Row("xsched-hpf", 0.0, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0).withTraffic(new SocketTraffic(2, 0, 0, 2)),
                new RequestBreakdown.Row("xsched-hpf", 0.05, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0).withTraffic(new SocketTraffic(4, 1, 0, 4)),
                new RequestBreakdown.Row("xsched-hpf", 0.1, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0));
        var marks = List.of(mark(20, 5, 10, 30_000_000, 7, 20, 20), mark(21, 7, 11, 32_500_000, 7, 22, 22),
                mark(22, 7, 13, 35_500_000, 8, 26, 26));

        var result = LpMarks.merge(hp, marks, PERIOD, WARMUP);
        var merged = result.rows();
        assertThat(result.withoutLp()).isEqualTo(1);

        // The suspension each stretch's closing mark saw last began 0.25 ms after that stretch's arrival:
        // the first stretch's one suspension, timed; the second held two, whose latest is not the
        // request's first stop (NaN). The LP process's frames add to the HP process's, the HP's own kept apart.
        assertThat(merged.get(0)).isEqualTo(new RequestBreakdown.Row("xsched-hpf", 0.0, 0.1, 0.5, 1.8, 0.05, 2.45, 2, 0, 0, 1, 2.5,
                0.25, new SocketTraffic(2, 2, 2, 2), RequestBreakdown.HostTimes.UNKNOWN));
        assertThat(merged.get(1)).isEqualTo(new RequestBreakdown.Row("xsched-hpf", 0.05, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0, 2, 3.0,
                Double.NaN, new SocketTraffic(5, 5, 4, 4), RequestBreakdown.HostTimes.UNKNOWN));
        assertThat(merged.get(2)).as("no mark closes the last stretch: left as the HP process measured it").isEqualTo(hp.get(2));
    }

    @Test
    void aMarkTakenAfterItsArrivalLeavesBothRequestsItBoundsWithoutLpColumns() {
        var hp = List.of(new RequestBreakdown.Row("xsched-hpf", 0.0, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0),
                new RequestBreakdown.Row("xsched-hpf", 0.05, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0),
                new RequestBreakdown.Row("xsched-hpf", 0.1, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0));
        var late = new LpMarks.Mark(21, LpMarks.LEAD_NANOS, 0, 2, 0, 0, SocketTraffic.NONE);
        var marks = List.of(mark(20, 0, 1, 0, 0, 0, 0), late, mark(22, 0, 3, 0, 0, 0, 0), mark(23, 0, 4, 0, 0, 0, 0));

        var result = LpMarks.merge(hp, marks, PERIOD, WARMUP);

        assertThat(result.withoutLp()).isEqualTo(2);
        assertThat(result.rows().subList(0, 2)).isEqualTo(hp.subList(0, 2));
        assertThat(result.rows().get(2).lpSuspends()).isEqualTo(1);
    }

    @Test
    void aStretchWithoutASuspensionHasNoSuspendTime() {
        var hp = List.of(new RequestBreakdown.Row("xsched-hpf", 0.0, 0.1, 0.5, 1.8, 0.05, 2.45, 0, 0, 0));
        var marks = List.of(mark(20, 0, 3, 10, 0, 0, 0), mark(21, 0, 3, 10, 2, 0, 0));

        var row = LpMarks.merge(hp, marks, PERIOD, WARMUP).rows().getFirst();

        assertThat(row.lpSuspends()).isZero();
        assertThat(row.lpSuspendedMs()).isZero();
        assertThat(row.lpSuspendMs()).isNaN();
    }

    @Test
    void aMarkReadsBackFromItsLineAndAnythingElseIsRefused() {
        var m = mark(42, 1, 2, 3, 4, 5, 6);
        assertThat(LpMarks.Mark.parse(m.line())).isEqualTo(m);
        assertThatThrownBy(() -> LpMarks.Mark.parse("lpmark 1 2 3 4 5 6 7 8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LpMarks.Mark.parse("latency 12")).isInstanceOf(IllegalArgumentException.class);
    }
}
