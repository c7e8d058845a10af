package dev.xsched.core.internal;

import dev.xsched.core.SchedulerClock;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submit and release path reads the scheduler clock only where the time is used: when a
 * queue becomes ready (the scheduler is told since when) and for the JFR events that carry a
 * latency while a recording takes them. Reading a clock is not free on every host: on a virtual
 * machine without a fast clock each read is a system call, as costly as a kernel launch, and a
 * queue that read it for every command paid that on every launch. The queue here runs in manual
 * mode (no completion thread) on a fake GPU, so every read is the submitter's.
 */
class ClockReadsTest {
    private static final LaunchConfig ONE = LaunchConfig.of(1, 1);

    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");
    private final AtomicLong reads = new AtomicLong();
    /** Counts its reads; time moves one microsecond per read. */
    private final SchedulerClock clock = () -> reads.incrementAndGet() * 1_000;
    private final List<Long> readyAt = new CopyOnWriteArrayList<>();
    private final QueueListener listener = new NoQueueListener() {
        @Override
        public void onReady(QueueCore queue, long now) {
            readyAt.add(now);
        }
    };

    private QueueCore queue() {
        return new QueueCore(1, new XQueueConfig("q", 64, 8), gpu.createStream(0), clock, listener);
    }

    private static void launch(QueueCore queue, Kernel kernel) {
        queue.submit((seq, at) -> new Command.Launch(seq, at, kernel, ONE, FakeGpu.tag((int) seq)));
    }

    @Test
    void submitsToAQueueThatHoldsWorkReadNoClock() {
        QueueCore queue = queue();
        launch(queue, kernel);
        assertThat(reads).as("the first command: the queue became ready, and the scheduler is told when").hasValue(1);
        assertThat(readyAt).containsExactly(1_000L);

        for (int i = 0; i < 40; i++) {
            launch(queue, kernel);
        }
        FakeStream stream = (FakeStream) queue.stream();
        assertThat(stream.launches()).hasSize(41);
        assertThat(stream.log().stream().filter("sync"::equals).count()).as("a sync point every 8 released").isEqualTo(5);
        assertThat(reads).as("clock reads for 40 more launches and 5 sync points").hasValue(1);
        assertThat(readyAt).as("told once").hasSize(1);
    }

    @Test
    void aRecordingOfLaunchLatenciesHasEachCommandTimedAndOnlyWhileItRuns(@TempDir Path dir) throws Exception {
        QueueCore queue = queue();
        launch(queue, kernel);
        long before = reads.get();
        Path file = dir.resolve("launches.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.xsched.CommandLaunched");
            recording.start();
            for (int i = 0; i < 3; i++) {
                launch(queue, kernel);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> launched = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.xsched.CommandLaunched")).toList();
        assertThat(launched).hasSize(3);
        // Read at the submit and at the launch: one microsecond apart at least on this clock.
        assertThat(launched).allSatisfy(e -> assertThat(e.getLong("bufferedNanos")).isGreaterThanOrEqualTo(1_000));
        assertThat(reads.get() - before).as("two reads per timed command").isEqualTo(6);

        long after = reads.get();
        launch(queue, kernel);
        assertThat(reads).as("no recording: no read").hasValue(after);
    }
}
