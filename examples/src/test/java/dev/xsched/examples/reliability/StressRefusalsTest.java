package dev.xsched.examples.reliability;

import dev.xsched.core.XQueue;
import dev.xsched.core.XQueueConfig;
import dev.xsched.core.XScheduler;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.hip.Device;
import dev.xsched.hip.HipError;
import dev.xsched.hip.HipException;
import dev.xsched.hip.HipModule;
import dev.xsched.hip.Kernel;
import dev.xsched.hip.KernelArgs;
import dev.xsched.hip.LaunchConfig;
import dev.xsched.hip.ParamType;
import dev.xsched.hip.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

/**
 * The stress accepts the failure of a queue it made fail only where it may show: from that queue,
 * to an operation allowed to meet it; a failure of another queue, or of another cause, is a
 * problem.
 */
class StressRefusalsTest {
    @Test
    void theInjectedFailureIsARefusalOnlyForTheQueuesAnOperationMayMeet() {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build()) {
            Device gpu = sim.device(0);
            try (HipModule module = gpu.loadModule(gpu.compiler().compile("stress.hip", ApiStress.KERNELS));
                 XScheduler scheduler = XScheduler.builder().jmx(false).build()) {
                Kernel faulty = SimulatedPlatform.faulting(module.function(ApiStress.FAULTY, ParamType.INT));
                XQueue queue = scheduler.createQueue(gpu, 0, new XQueueConfig(StressWorld.queueName(1), 1, 1));
                queue.launch(faulty, LaunchConfig.of(1, 32), KernelArgs.builder().i32(1).build());

                RuntimeException failure = catchRuntimeException(queue::synchronize);
                RuntimeException rejected = catchRuntimeException(() -> queue.launch(faulty, LaunchConfig.of(1, 32),
                        KernelArgs.builder().i32(1).build()));

                assertThat(StressRefusals.classify(failure, "stress-1"::equals)).isEqualTo("the failure of a faulted queue");
                assertThat(StressRefusals.classify(rejected, "stress-1"::equals)).isEqualTo("submission to a failed queue");
                assertThat(StressRefusals.failedQueue(rejected)).isEqualTo("stress-1");
                assertThat(StressRefusals.classify(failure, "stress-2"::equals)).as("another queue's failure").isNull();
                HipException otherFault = HipException.of(HipError.LAUNCH_FAILURE,
                        "XQueue stress-1 launch faulty: hipModuleLaunchKernel(faulty, grid=(1,1,1), block=(32,1,1))");
                assertThat(StressRefusals.classify(otherFault, name -> true)).as("a fault nobody injected").isNull();
                assertThat(StressRefusals.classify(new IllegalStateException("XQueue stress-1 failed earlier: x", otherFault),
                        name -> true)).isNull();
                queue.close();
            }
        }
    }

    @Test
    void anArmOfAQueueArmedFirstByAnotherThreadIsARefusalAndOtherArmFailuresAreNot(@TempDir Path folder) {
        try (SimulatedPlatform sim = SimulatedPlatform.builder().realTime().build();
             XScheduler scheduler = XScheduler.builder().jmx(false).build()) {
            Device gpu = sim.device(0);
            try (StopWordFile file = StopWordFile.create(folder.resolve("stop"))) {
                XQueue queue = scheduler.createQueue(gpu, 0, new XQueueConfig(StressWorld.queueName(1), 1, 1));
                queue.armRemoteStop(file.allocate());
                StopWord second = file.allocate();
                RuntimeException again = catchRuntimeException(() -> queue.armRemoteStop(second));
                assertThat(StressRefusals.classify(again, name -> false)).isEqualTo("queue already armed");
                queue.close();
                RuntimeException closed = catchRuntimeException(() -> queue.armRemoteStop(second));
                assertThat(StressRefusals.classify(closed, name -> false)).isEqualTo("queue closed");
                second.close();
                assertThat(StressRefusals.classify(new IllegalStateException("every one of the 1024 stop words of x is taken"),
                        name -> true)).isNull();
            }
        }
    }
}
