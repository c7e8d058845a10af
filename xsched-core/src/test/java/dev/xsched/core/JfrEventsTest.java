package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.core.policy.PassThroughPolicy;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's JFR events reach a recording with their queue ids and latencies; the ones that
 * fire per command or sync point only where a recording asks for them.
 */
class JfrEventsTest {
    @Test
    void submitLaunchCompleteSuspendResumeAndPolicyFailureAreRecorded(@TempDir Path dir) throws Exception {
        FakeGpu gpu = new FakeGpu();
        // Phase 0 resumes, 1 suspends, 2 throws (the scheduler then fails open and resumes).
        AtomicInteger phase = new AtomicInteger();
        Policy policy = new Policy() {
            @Override
            public String name() {
                return "resume-suspend-fail";
            }

            @Override
            public void schedule(SchedulingContext context) {
                switch (phase.get()) {
                    case 0 -> context.queues().forEach(q -> context.resume(q.id()));
                    case 1 -> context.queues().forEach(q -> context.suspend(q.id()));
                    default -> throw new IllegalStateException("deliberate");
                }
            }
        };
        Path file = dir.resolve("xsched.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("CommandSubmitted", "CommandLaunched", "SyncPointCompleted", "QueueSuspended",
                    "QueueResumed", "PolicyFailed")) {
                recording.enable("dev.xsched." + name);
            }
            recording.start();
            XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(FakeStream::completeAll))
                    .policy(policy).jmx(false).build();
            XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("jfr"));
            scheduler.pump();
            queue.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(1));
            queue.synchronize();
            phase.set(1);
            queue.hint(new dev.xsched.core.policy.Hint.Priority(1));
            scheduler.pump();
            queue.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(2));
            phase.set(2);
            queue.hint(new dev.xsched.core.policy.Hint.Priority(2)); // throws: fail open, resume
            queue.synchronize();
            scheduler.close();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).extracting(e -> e.getEventType().getName()).contains("dev.xsched.CommandSubmitted",
                "dev.xsched.CommandLaunched", "dev.xsched.SyncPointCompleted", "dev.xsched.QueueSuspended",
                "dev.xsched.QueueResumed", "dev.xsched.PolicyFailed");
        RecordedEvent launched = events.stream().filter(e -> e.getEventType().getName().equals("dev.xsched.CommandLaunched"))
                .findFirst().orElseThrow();
        assertThat(launched.getString("kind")).isEqualTo("launch k");
        assertThat(launched.getLong("queueId")).isEqualTo(1L);
        assertThat(launched.getLong("bufferedNanos")).isGreaterThanOrEqualTo(0L);
    }

    @Test
    void aRecordingWithTheJdksDefaultSettingsTakesThePolicyEventsButNoPerCommandOnes(@TempDir Path dir) throws Exception {
        FakeGpu gpu = new FakeGpu();
        Path file = dir.resolve("default.jfr");
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.start();
            XScheduler scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(FakeStream::completeAll))
                    .policy(new PassThroughPolicy()).jmx(false).build();
            XQueue queue = scheduler.createQueue(gpu, XQueueConfig.defaults("jfr"));
            scheduler.pump(); // the pass-through policy resumes the new queue
            for (int i = 1; i <= 20; i++) {
                queue.launch(gpu.kernel("k"), LaunchConfig.of(1, 1), FakeGpu.tag(i));
            }
            queue.synchronize();
            scheduler.close();
            recording.stop();
            recording.dump(file);
        }
        List<String> names = RecordingFile.readAllEvents(file).stream().map(e -> e.getEventType().getName())
                .filter(name -> name.startsWith("dev.xsched.")).toList();
        assertThat(names).contains("dev.xsched.QueueResumed")
                .doesNotContain("dev.xsched.CommandSubmitted", "dev.xsched.CommandLaunched", "dev.xsched.SyncPointCompleted");
    }
}
