package dev.xsched.examples.reliability;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A kernel writing far out of bounds in the middle of one XQueue's work, beside a second queue:
 * the faulty queue, the other queue, the device and every later call report the device's sticky
 * illegal-address error as a {@link HipException}, and closing the scheduler neither hangs nor
 * leaves a thread behind. The same scenario runs on the simulator (a kernel body that touches an
 * address no buffer holds), on the fake CUDA driver and on an NVIDIA GPU.
 */
final class FaultScenario {
    static final String WRITE_AT = """
            extern "C" __global__ void write_at(int* p, long long offset) {
                p[offset] = 42;
            }
            """;
    /** 2^38 ints = 1 TiB past the buffer: far outside any allocation. */
    static final long FAR = 1L << 38;
    static final Duration LIMIT = Duration.ofSeconds(60);

    private FaultScenario() {
    }

    static void run(Device gpu, Kernel writeAt, DeviceBuffer target) throws InterruptedException {
        Optional<Watchdog.Hang> hang = Watchdog.guard("fault-scenario", LIMIT, () -> scenario(gpu, writeAt, target));
        assertThat(hang).as("the scenario hung:%n%s", hang.map(Watchdog.Hang::toString).orElse("")).isEmpty();
    }

    private static void scenario(Device gpu, Kernel writeAt, DeviceBuffer target) {
        XScheduler scheduler = XScheduler.builder().name("fault-scenario").jmx(false).policy("hpf").build();
        XQueue faulty = scheduler.createQueue(gpu, XQueueConfig.defaults("faulty"));
        XQueue other = scheduler.createQueue(gpu, XQueueConfig.defaults("other"));
        KernelArgs inBounds = KernelArgs.builder().pointer(target).i64(0).build();
        KernelArgs outOfBounds = KernelArgs.builder().pointer(target).i64(FAR).build();
        LaunchConfig one = LaunchConfig.of(1, 1);
        for (int i = 0; i < 20; i++) {
            faulty.launch(writeAt, one, inBounds);
            other.launch(writeAt, one, inBounds);
        }
        faulty.launch(writeAt, one, outOfBounds); // mid-run: work before it and behind it
        // The fault may surface while the work behind it is still being submitted: from then on a
        // submission is refused with the same failure.
        Throwable behind = catchThrowable(() -> {
            for (int i = 0; i < 20; i++) {
                faulty.launch(writeAt, one, inBounds);
            }
        });
        if (behind != null) {
            assertThat(illegalAddress(behind)).as("a submission behind the fault threw something else: %s", behind).isTrue();
        }

        assertReportsIllegalAddress("the faulty queue's synchronize", faulty::synchronize);
        assertReportsIllegalAddress("a later launch on the faulty queue", () -> {
            faulty.launch(writeAt, one, inBounds);
            faulty.synchronize();
        });
        assertReportsIllegalAddress("the other queue's next work", () -> {
            other.launch(writeAt, one, inBounds);
            other.synchronize();
        });
        assertReportsIllegalAddress("the device's synchronize", gpu::synchronize);
        assertReportsIllegalAddress("the scheduler's synchronize of the device", () -> scheduler.synchronize(gpu));

        // Close releases everything whatever it reports; what it may throw is the same failure.
        Throwable onClose = catchThrowable(scheduler::close);
        if (onClose != null) {
            assertThat(illegalAddress(onClose)).as("close threw something other than the fault: %s", onClose).isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet()).as("threads of the closed scheduler")
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("fault-scenario-"));
    }

    /**
     * The call throws the sticky error: a {@link HipException} with the illegal-address code, or
     * (for a call refused because its queue failed earlier) an exception caused by it.
     */
    static void assertReportsIllegalAddress(String what, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as(what + " must fail").isNotNull();
        assertThat(illegalAddress(thrown)).as("%s reports the illegal address: %s", what, thrown).isTrue();
    }

    private static boolean illegalAddress(Throwable thrown) {
        for (Throwable e = thrown; e != null; e = e.getCause()) {
            if (e instanceof HipException hip) {
                return hip.is(HipError.ILLEGAL_ADDRESS);
            }
        }
        return false;
    }
}
