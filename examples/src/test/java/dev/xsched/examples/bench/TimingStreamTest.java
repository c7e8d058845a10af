package dev.xsched.examples.bench;

import dev.xsched.hip.Event;
import dev.xsched.hip.EventFlag;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

class TimingStreamTest {
    @Test
    void itsDeviceMakesTimingEventsThatTheWrappedStreamAcceptsAndThatSayWhoSawThemCompleteAfterWhichRecord() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
             HipModule module = sim.device(0).loadModule(sim.device(0).compiler().compile("empty_kernel.cu",
                     LaunchBenchmark.EMPTY_KERNEL));
             Stream plain = sim.device(0).createStream();
             TimingStream timing = new TimingStream(plain);
             Event event = timing.device().createEvent(EnumSet.of(EventFlag.DISABLE_TIMING))) {
            Kernel empty = module.function("empty_kernel");
            assertThat(event).isInstanceOf(TimingEvent.class);
            TimingEvent timed = (TimingEvent) event;

            long before = System.nanoTime();
            timing.launch(empty, LaunchConfig.of(1, 1), KernelArgs.none());
            timing.record(event); // the simulator refuses an event it did not make: this one goes unwrapped
            TimingStream.Launch launch = timing.lastLaunch();
            TimingStream.Record record = timing.lastRecord();
            assertThat(launch.thread()).isSameAs(Thread.currentThread());
            assertThat(launch.start()).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(launch.end());
            assertThat(record.thread()).isSameAs(Thread.currentThread());
            assertThat(record.event()).isSameAs(timed);
            assertThat(record.start()).isGreaterThanOrEqualTo(launch.end()).isLessThanOrEqualTo(record.end());
            assertThat(timed.firstComplete()).as("nobody looked yet").isNull();

            event.synchronize();
            TimingEvent.Seen seen = timed.firstComplete();
            assertThat(seen.thread()).isSameAs(Thread.currentThread());
            assertThat(seen.at()).isGreaterThanOrEqualTo(record.end());
            assertThat(event.isComplete()).isTrue();
            assertThat(timed.firstComplete()).as("the first look is kept").isSameAs(seen);
            assertThat(timed.queries()).isEqualTo(1);

            timing.record(event);
            assertThat(timed.firstComplete()).as("a new record forgets the last one's").isNull();
            assertThat(timing.lastRecord()).isNotSameAs(record);

            // A stream of the timing device is a timing stream too, which waits for a timing event
            // (an XQueue's blocking waits make such streams, and wait for its sync points on them).
            try (Stream other = timing.device().createStream(timing.priority())) {
                assertThat(other).isInstanceOf(TimingStream.class);
                assertThat(other.device()).isSameAs(timing.device());
                other.waitFor(event);
                other.synchronize();
            }
            assertThat(event.isComplete()).isTrue();
        }
    }
}
