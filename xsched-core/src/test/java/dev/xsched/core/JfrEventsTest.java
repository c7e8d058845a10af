package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.policy.Policy;
import dev.xsched.core.policy.SchedulingContext;
import dev.xsched.hip.LaunchConfig;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's JFR events reach a recording with their queue ids and latencies. */
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
}
