package dev.xsched.core;

import dev.xsched.core.fake.FakeGpu;
import dev.xsched.core.fake.FakeGpu.FakeStream;
import dev.xsched.core.fake.HoldPolicy;
import dev.xsched.core.policy.Hint;
import dev.xsched.core.policy.PassThroughPolicy;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.Stream;
import dev.xsched.hip.StreamWork;
import dev.xsched.testsupport.Watchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Foreign work ({@link StreamWork}, e.g. a vendor library call) gated by an XQueue, on the scripted
 * GPU driven by hand. The "library" here enqueues one launch of kernel {@code lib} on the stream
 * it is given, as a cuBLAS call would after {@code cublasSetStream}.
 */
class StreamWorkTest {
    private static final LaunchConfig ONE = LaunchConfig.of(1, 1);
    private final FakeGpu gpu = new FakeGpu();
    private final Kernel kernel = gpu.kernel("k");
    private final Kernel library = gpu.kernel("lib");
    private final HoldPolicy policy = new HoldPolicy("", false);
    private XScheduler scheduler;

    private XQueue queue(XQueueConfig config) {
        if (scheduler == null) {
            scheduler = XScheduler.builder().manual(() -> gpu.streams().forEach(s -> s.completeNext(1)))
                    .policy(policy).jmx(false).build();
        }
        XQueue q = scheduler.createQueue(gpu, config);
        scheduler.pump();
        return q;
    }

    /** Library work that records on which stream and thread it ran. */
    private final class LibraryCall implements StreamWork {
        final int tag;
        final List<Stream> streams = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        LibraryCall(int tag) {
            this.tag = tag;
        }

        @Override
        public void enqueue(Stream stream) {
            streams.add(stream);
            threads.add(Thread.currentThread());
            stream.launch(library, ONE, FakeGpu.tag(tag));
        }
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            gpu.streams().forEach(FakeStream::completeAll);
            scheduler.close();
        }
    }

    @Test
    void onAPlainStreamTheWorkRunsAtOnceOnTheCallersThread() {
        FakeStream stream = (FakeStream) gpu.createStream();
        LibraryCall call = new LibraryCall(1);
        stream.enqueue(call);
        assertThat(call.streams).containsExactly(stream);
        assertThat(call.threads).containsExactly(Thread.currentThread());
        assertThat(stream.launches()).containsExactly("launch lib#1");
        assertThatThrownBy(() -> stream.enqueue(null)).isInstanceOf(NullPointerException.class);
        stream.close();
        LibraryCall late = new LibraryCall(2);
        assertThatThrownBy(() -> stream.enqueue(late)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(late.streams).as("not run on a closed stream").isEmpty();
    }

    @Test
    void theWorkRunsAtReleaseTimeWithTheQueuesStreamInOrderWithTheOtherCommands() {
        XQueue q = queue(XQueueConfig.defaults("q"));
        FakeStream stream = (FakeStream) q.stream();
        policy.hold = true;
        q.hint(new Hint.Priority(-1));
        scheduler.pump();
        LibraryCall call = new LibraryCall(2);
        q.launch(kernel, ONE, FakeGpu.tag(1));
        q.enqueue(call);
        q.launch(kernel, ONE, FakeGpu.tag(3));
        assertThat(call.streams).as("held: not released, not called").isEmpty();
        assertThat(q.stats().submitted()).isEqualTo(3);
        assertThat(q.stats().buffered()).isEqualTo(3);

        policy.hold = false;
        q.hint(new Hint.Priority(0));
        scheduler.pump(); // manual mode: this thread releases
        assertThat(call.streams).containsExactly(q.stream());
        assertThat(call.threads).containsExactly(Thread.currentThread());
        assertThat(stream.launches()).containsExactly("launch k#1", "launch lib#2", "launch k#3");
        q.synchronize();
        assertThat(q.stats().completed()).isEqualTo(3);
        assertThatThrownBy(() -> q.enqueue(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void eachWorkCountsAsOneCommandForTheThresholdAndTheSyncPoints() {
        XQueue q = queue(new XQueueConfig("q", 2, 1));
        FakeStream stream = (FakeStream) q.stream();
        LibraryCall first = new LibraryCall(1);
        LibraryCall second = new LibraryCall(2);
        LibraryCall third = new LibraryCall(3);
        q.enqueue(first);
        q.enqueue(second);
        q.enqueue(third);
        assertThat(q.stats().inFlight()).isEqualTo(2);
        assertThat(q.stats().buffered()).isEqualTo(1);
        assertThat(third.streams).as("beyond the threshold: still buffered").isEmpty();
        assertThat(stream.log()).containsExactly("launch lib#1", "sync", "launch lib#2", "sync");

        stream.completeNext(2); // the first call and its sync point
        scheduler.pump();
        assertThat(q.stats().completed()).isEqualTo(1);
        assertThat(third.streams).hasSize(1);
        assertThat(stream.log()).endsWith("launch lib#3", "sync");
    }

    @Test
    void itWaitsForTheYieldableLaunchesBeforeItLikeAnyNonYieldableCommand() {
        XQueue q = queue(new XQueueConfig("q", 4, 1));
        FakeStream stream = (FakeStream) q.stream();
        LibraryCall call = new LibraryCall(2);
        q.launchYieldable(gpu.yieldableKernel("y"), LaunchConfig.of(100, 64), FakeGpu.tag(1));
        q.enqueue(call);
        assertThat(call.streams).as("a yieldable launch in flight may still stop early").isEmpty();

        policy.hold = true;
        q.hint(new Hint.Priority(-1));
        scheduler.pump(); // suspended: the stop flag goes up
        stream.completeAll(); // y#1 stops early
        scheduler.pump();
        assertThat(stream.yielded()).containsExactly("launch y#1");
        assertThat(call.streams).isEmpty();

        policy.hold = false;
        q.hint(new Hint.Priority(0));
        scheduler.pump();
        assertThat(call.streams).as("behind the relaunch, released once it completed for good").isEmpty();
        q.synchronize();
        assertThat(call.streams).hasSize(1);
        List<String> work = stream.launches().stream().filter(c -> !c.startsWith("wait ")).toList();
        assertThat(work).containsExactly("memset", "launch y#1", "memset", "launch y#1", "launch lib#2");
    }

    @Test
    void aWorkThatThrowsFailsItsQueueWithTheCauseAndReleasesNothingAfterIt() {
        XQueue failing = queue(XQueueConfig.defaults("failing"));
        XQueue other = queue(XQueueConfig.defaults("other"));
        FakeStream stream = (FakeStream) failing.stream();
        IllegalArgumentException cause = new IllegalArgumentException("CUBLAS_STATUS_INVALID_VALUE");
        failing.launch(kernel, ONE, FakeGpu.tag(1));
        policy.hold = true;
        failing.hint(new Hint.Priority(-1));
        scheduler.pump();
        failing.enqueue(s -> {
            throw cause;
        });
        failing.launch(kernel, ONE, FakeGpu.tag(3));
        policy.hold = false;
        failing.hint(new Hint.Priority(0));
        scheduler.pump();

        assertThat(stream.launches()).as("nothing after the failed work").containsExactly("launch k#1");
        assertThatThrownBy(failing::synchronize).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("XQueue failing failed")
                .cause().hasMessageContaining("XQueue failing").hasMessageContaining("stream work (command 2)")
                .hasCause(cause);
        assertThat(failing.stats().dropped()).as("the work and the launch behind it").isEqualTo(2);
        assertThatThrownBy(() -> failing.launch(kernel, ONE, FakeGpu.tag(4)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("failed earlier")
                .rootCause().isSameAs(cause);

        other.launch(kernel, ONE, FakeGpu.tag(5));
        other.synchronize();
        assertThat(((FakeStream) other.stream()).launches()).as("the scheduler keeps running other queues")
                .containsExactly("launch k#5");
        assertThatCode(failing::close).as("reported already: close is quiet").doesNotThrowAnyException();
    }

    @Test
    void aFailureBehindReleasedWorkWithoutASyncPointLeavesTheSchedulerIdleNotSpinning() {
        XQueue q = queue(XQueueConfig.defaults("q"));
        q.launch(kernel, ONE, FakeGpu.tag(1)); // released, not yet covered by a sync point (lazy)
        q.enqueue(s -> {
            throw new IllegalStateException("library failed");
        });
        Watchdog.within(Duration.ofSeconds(60), () -> {
            scheduler.pump(); // the events of the launch: ends, not an endless "uncovered work" loop
            assertThat(scheduler.pump()).as("nothing left to do").isFalse();
        });
        assertThatThrownBy(q::synchronize).hasMessageContaining("XQueue q failed");
    }

    @Test
    void anErrorFromTheWorkFailsTheQueueToo() {
        XQueue q = queue(XQueueConfig.defaults("q"));
        UnsatisfiedLinkError missing = new UnsatisfiedLinkError("libcublas.so.13: cannot open shared object file");
        q.enqueue(s -> {
            throw missing;
        });
        assertThatThrownBy(q::synchronize).isInstanceOf(IllegalStateException.class).rootCause().isSameAs(missing);
        assertThatCode(q::close).as("reported already: close is quiet").doesNotThrowAnyException();
    }

    @Test
    void aWaiterOnAnotherThreadGetsTheFailure() {
        FakeGpu threadedGpu = new FakeGpu().autoComplete(true);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (XScheduler threaded = XScheduler.builder().policy(new HoldPolicy("", true)).jmx(false).build()) {
                XQueue q = threaded.createQueue(threadedGpu, XQueueConfig.defaults("q"));
                RuntimeException cause = new RuntimeException("library failed");
                q.enqueue(s -> {
                    throw cause;
                });
                CountDownLatch waiting = new CountDownLatch(1);
                AtomicReference<Throwable> seen = new AtomicReference<>();
                Thread waiter = Thread.ofPlatform().start(() -> {
                    waiting.countDown();
                    try {
                        q.synchronize();
                    } catch (Throwable t) {
                        seen.set(t);
                    }
                });
                waiting.await();
                threaded.setPolicy(new PassThroughPolicy()); // releases the work, which throws
                waiter.join();
                assertThat(seen.get()).isInstanceOf(IllegalStateException.class).rootCause().isSameAs(cause);
                assertThatCode(q::close).as("reported already: close is quiet").doesNotThrowAnyException();
            }
        });
    }
}
