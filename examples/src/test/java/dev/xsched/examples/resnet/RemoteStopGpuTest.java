package dev.xsched.examples.resnet;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.DecisionSource;
import dev.xsched.core.coordination.ScheduledQueue;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cross-process stop on a GPU ({@link XQueue#armRemoteStop}): another process (here {@code dd})
 * writes the queue's stop word in {@code /dev/shm}; the stream waiting on it raises the queue's stop
 * flag, and the running yieldable kernel's blocks stop at their next check, with no call into the
 * queue. The queue holds what stopped until a fresh decision lets it run, then every step of every
 * block has run exactly once. While the queue is armed again, the calls that hung here waiting for the
 * word (a {@code cuMemFree}, a {@code cuModuleLoadData}) return: the queue's wait steps aside for
 * hip-ffm's device-wide calls ({@link Device#onDeviceWideCalls}).
 */
@Tag("gpu")
class RemoteStopGpuTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** A scheduler server's client as the queue sees it: runs everything until an answer arrives. */
    private static final class Answers implements DecisionSource {
        volatile Scheduling scheduling;

        @Override
        public void attach(String schedulerName, Scheduling scheduling) {
            this.scheduling = scheduling;
        }

        @Override
        public Map<Long, Boolean> decide(long now, List<ScheduledQueue> queues) {
            return Map.of();
        }

        @Override
        public String describe() {
            return "answers";
        }

        @Override
        public void close() {
        }
    }

    private Device device;
    private final Answers answers = new Answers();
    private XScheduler scheduler;
    private StopWordFile file;

    @BeforeEach
    void setUp() {
        device = Gpu.deviceOrSkip();
        assumeTrue(device.supportsHostRegistration(), () -> device.platform().name() + " cannot register host memory");
        scheduler = XScheduler.builder().name("remote-stop-test").decisionSource(answers).jmx(false).build();
        file = StopWordFile.create(StopWordFile.defaultPath());
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (file != null) {
            file.close();
        }
    }

    @Test
    void anotherProcessesStoreStopsTheKernelAndTheWorkRunsOnceAfterTheDecision() {
        assertTimeoutPreemptively(LIMIT, () -> {
            // An armed queue's wait is pending on the device, and loading a module waits for the whole
            // context (on an H100 it waited for the word for good before the queue paused its wait
            // around device-wide calls): the loads and frees after the assertions check that pause.
            try (HipModule module = device.loadModule(device.compiler().compile("remote_stop.cu", StepCountingKernel.SOURCE))) {
                XQueue lp = scheduler.createQueue(device, device.streamPriorityRange().least(), new XQueueConfig("lp", 2, 1));
                StopWord word = file.allocate();
                lp.armRemoteStop(word);
                Kernel count = StepCountingKernel.in(module);
                int threads = 256;
                int blocks = 2 * device.computeUnits() * (2048 / threads); // two waves
                int steps = 40;
                try (DeviceBuffer counters = device.allocate(4L * blocks * threads)) {
                    lp.memset(counters, 0);
                    // Every block 40 steps of 0.25 ms, two waves: about 20 ms undisturbed.
                    KernelArgs args = KernelArgs.builder().pointer(counters).i32(steps).i64(device.clockRateKHz() / 4L).build();
                    lp.launchYieldable(count, LaunchConfig.of(blocks, threads), args);
                    Thread.sleep(3);
                    storeFromAnotherProcess(word, word.value() + 1);

                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (lp.stats().inFlight() > 0 && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    Thread.sleep(100); // 5x the undisturbed launch: it would have completed by now
                    assertThat(lp.stats().completed()).as("stopped early, and held: only the memset completed").isEqualTo(1);
                    assertThat(lp.stats().buffered()).as("the stopped launch waits in the buffer").isEqualTo(1);

                    answers.scheduling.apply(Map.of(lp.id(), false)); // the server lets it run after all
                    lp.synchronize();
                    assertThat(lp.stats().completed()).isEqualTo(2);
                    assertThat(lp.stats().yielded()).isEqualTo(1);
                    assertThat(download(lp, counters, blocks * threads)).as("every step of every thread ran exactly once")
                            .containsOnly(steps);

                    // Armed again since the decision lowered the flag: the calls that hung on an H100.
                    assertThat(lp.isHeldByRemoteStop()).isFalse();
                    device.allocate(4096).close();
                    device.loadModule(device.compiler().compile("remote_stop_again.cu", StepCountingKernel.SOURCE)).close();
                    counters.close();
                }
            }
        });
    }

    /** Writes {@code value} into the word with {@code dd}: a process with no CUDA and no JVM of ours. */
    private static void storeFromAnotherProcess(StopWord word, int value) throws Exception {
        Path bytes = Files.createTempFile("stop-word", ".bin");
        try {
            Files.write(bytes, new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)});
            Process dd = new ProcessBuilder("dd", "if=" + bytes, "of=" + word.path(), "bs=4", "count=1",
                    "seek=" + word.offset() / 4, "conv=notrunc").redirectErrorStream(true).start();
            assertThat(dd.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(dd.exitValue()).as(new String(dd.getInputStream().readAllBytes())).isZero();
        } finally {
            Files.deleteIfExists(bytes);
        }
    }

    private static int[] download(XQueue queue, DeviceBuffer buffer, int ints) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment host = arena.allocate(4L * ints, 4);
            queue.copy(host, buffer);
            queue.synchronize();
            return host.toArray(JAVA_INT);
        }
    }
}
