package dev.xsched.hip.sim;

import dev.xsched.hip.Availability;
import dev.xsched.hip.CodeObject;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceAttribute;
import dev.xsched.hip.Hip;
import dev.xsched.hip.HipPlatform;
import dev.xsched.hip.PriorityRange;
import dev.xsched.hip.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Configuration, identity and discovery of the simulated platform. */
class SimulatedPlatformTest {
    @Test
    void defaultsDescribeAnH200AndSaySimulatedEverywhere() {
        SimulatedPlatform sim = SimulatedPlatform.builder().build();
        assertThat(sim.name()).isEqualTo("sim");
        assertThat(sim.isSimulated()).isTrue();
        assertThat(sim.isVirtualTime()).isTrue();
        assertThat(sim.runtimeVersion()).isEqualTo("simulated HIP runtime (hip-ffm)");
        assertThat(sim.driverVersion()).contains("simulated").contains("virtual time");
        assertThat(sim.deviceCount()).isEqualTo(1);
        assertThat(sim.noDeviceReason()).isEmpty();
        assertThat(sim.slotsPerDevice()).isEqualTo(132);

        Device gpu = sim.device(0);
        assertThat(gpu.name()).isEqualTo("Simulated GPU (132 CUs)");
        assertThat(gpu.architecture()).isEqualTo("sim");
        assertThat(gpu.platform()).isSameAs(sim);
        assertThat(gpu.computeUnits()).isEqualTo(132);
        assertThat(gpu.warpSize()).isEqualTo(32);
        assertThat(gpu.attribute(DeviceAttribute.MAX_THREADS_PER_BLOCK)).isEqualTo(1024);
        assertThat(gpu.totalMemory()).isEqualTo(80L << 30);
        assertThat(gpu.streamPriorityRange()).isEqualTo(new PriorityRange(0, -5));
        assertThat(gpu.compiler()).isSameAs(sim.compiler());
        assertThat(sim.compiler().version()).contains("simulated");
        assertThatThrownBy(() -> sim.device(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void simulatedStreamsAndEventsHaveNoNativeHandleAndNothingCanBeAdopted() {
        Device gpu = SimulatedPlatform.builder().build().device(0);
        Stream stream = gpu.createStream();
        assertThat(stream.isAdopted()).isFalse();
        assertThatThrownBy(stream::nativeHandle).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no native handle").hasMessageContaining("'sim'");
        var event = gpu.createEvent();
        assertThatThrownBy(event::nativeHandle).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("no native handle");
        event.close();
        stream.close();
        assertThatThrownBy(stream::nativeHandle).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> gpu.adoptStream(java.lang.foreign.MemorySegment.ofAddress(0x1000)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no native streams to adopt");
    }

    @Test
    void theBuilderConfiguresDevicesAndValidatesEveryInput() {
        SimulatedPlatform sim = SimulatedPlatform.builder().devices(2).computeUnits(8).blocksPerComputeUnit(4)
                .priorityRange(3, -3).memoryBytes(1 << 30).build();
        assertThat(sim.devices()).extracting(Device::index).containsExactly(0, 1);
        assertThat(sim.slotsPerDevice()).isEqualTo(32);
        assertThat(sim.device(1).streamPriorityRange()).isEqualTo(new PriorityRange(3, -3));
        assertThat(sim.device(1).totalMemory()).isEqualTo(1 << 30);
        // A fixed UUID per index: another process simulating the same index names the same device.
        assertThat(sim.device(0).uuid()).isNotEqualTo(sim.device(1).uuid())
                .isEqualTo(SimulatedPlatform.builder().devices(1).build().device(0).uuid());
        assertThat(SimulatedPlatform.builder().devices(0).build().noDeviceReason()).isPresent();

        var builder = SimulatedPlatform.builder();
        assertThatThrownBy(() -> builder.computeUnits(0)).hasMessageContaining("computeUnits must be >= 1");
        assertThatThrownBy(() -> builder.devices(-1)).hasMessageContaining("devices");
        assertThatThrownBy(() -> builder.blocksPerComputeUnit(0)).hasMessageContaining("blocksPerComputeUnit");
        assertThatThrownBy(() -> builder.memoryBytes(0)).hasMessageContaining("memoryBytes");
        assertThatThrownBy(() -> builder.copyBandwidth(0)).hasMessageContaining("bandwidth");
        assertThatThrownBy(() -> builder.copyBandwidth(Double.NaN)).hasMessageContaining("bandwidth");
        assertThatThrownBy(() -> builder.commandLatency(Duration.ofNanos(-1))).hasMessageContaining("commandLatency");
        assertThatThrownBy(() -> builder.launchHostCost(Duration.ofNanos(-1))).hasMessageContaining("launchHostCost");
        assertThatThrownBy(() -> builder.defaultBlockDuration(Duration.ofNanos(-1))).hasMessageContaining("defaultBlockDuration");
        assertThatThrownBy(() -> builder.priorityRange(-5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.kernelBody(" ", (c, a, m) -> { })).hasMessageContaining("blank");
        assertThatThrownBy(() -> KernelCostModel.fixed(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLaunchCostsItsThreadTheLaunchHostCost() {
        // Virtual time: the kernel itself takes no wall-clock time, so what the launch call takes is the spin.
        try (SimulatedPlatform sim = SimulatedPlatform.builder().launchHostCost(Duration.ofMillis(20)).build();
             Stream stream = sim.device(0).createStream()) {
            var work = SimKit.work(sim.device(0));
            long start = System.nanoTime();
            SimKit.launch(stream, work, 1, Duration.ofMillis(1), 1);
            long first = System.nanoTime() - start;
            start = System.nanoTime();
            SimKit.launch(stream, work, 1, Duration.ofMillis(1), 2);
            assertThat(Math.min(first, System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        }
    }

    @Test
    void streamsTakePrioritiesFromTheRangeAndHaveIds() {
        SimulatedPlatform sim = SimulatedPlatform.builder().build();
        Device gpu = sim.device(0);
        Stream low = gpu.createStream();
        Stream high = gpu.createStream(-5);
        assertThat(low.priority()).isZero();
        assertThat(high.priority()).isEqualTo(-5);
        assertThat(SimulatedPlatform.streamId(high)).isEqualTo(SimulatedPlatform.streamId(low) + 1);
        assertThatThrownBy(() -> gpu.createStream(-6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the device's range");
        assertThatThrownBy(() -> gpu.createStream(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void propertiesConfigureTheBuilder(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.csv");
        Files.write(trace, List.of("kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,kernel_us", "work,1,1,1,1,1,1,5"));
        Map<String, String> properties = Map.of(
                SimulatedPlatform.COMPUTE_UNITS_PROPERTY, "8",
                SimulatedPlatform.HARDWARE_PRIORITY_PROPERTY, "FALSE",
                SimulatedPlatform.BLOCK_MICROS_PROPERTY, "2.5",
                SimulatedPlatform.TRACE_PROPERTY, trace.toString());
        SimulatedPlatform sim = SimulatedPlatform.builder().properties(properties::get).build();

        assertThat(sim.device(0).computeUnits()).isEqualTo(8);
        assertThat(sim.toString()).contains("hardware priority off");
        assertThat(sim.costModel()).isInstanceOfSatisfying(TraceCostModel.class, model -> {
            assertThat(model.slots()).isEqualTo(8);
            assertThat(model.blockNanos("other", dev.xsched.hip.LaunchConfig.of(1, 1), dev.xsched.hip.KernelArgs.none()))
                    .isEqualTo(2_500);
        });
        SimulatedPlatform plain = SimulatedPlatform.builder()
                .properties(Map.of(SimulatedPlatform.BLOCK_MICROS_PROPERTY, "40")::get).build();
        assertThat(plain.costModel().toString()).isEqualTo("fixed 40000 ns per block");

        for (var bad : List.of(
                Map.of(SimulatedPlatform.COMPUTE_UNITS_PROPERTY, "many"),
                Map.of(SimulatedPlatform.COMPUTE_UNITS_PROPERTY, "0"),
                Map.of(SimulatedPlatform.HARDWARE_PRIORITY_PROPERTY, "yes"),
                Map.of(SimulatedPlatform.BLOCK_MICROS_PROPERTY, "-1"))) {
            String name = bad.keySet().iterator().next();
            assertThatThrownBy(() -> SimulatedPlatform.builder().properties(bad::get))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        }
    }

    @Test
    void theProviderIsLastAndAlwaysHasADevice() {
        assertThat(Hip.platformNames()).last().isEqualTo("sim");
        Availability probe = Hip.probe("sim");
        assertThat(probe.available()).isTrue();
        assertThat(probe.hasDevices()).isTrue();
        assertThat(probe.summary()).contains("simulated");

        HipPlatform platform = Hip.open("sim");
        assertThat(platform).isSameAs(Hip.open("sim")).isInstanceOf(SimulatedPlatform.class);
        SimulatedPlatform sim = (SimulatedPlatform) platform;
        assertThat(sim.isVirtualTime()).isFalse();
        assertThat(sim.deviceCount()).isEqualTo(1);
        assertThatThrownBy(sim::virtualClock).isInstanceOf(IllegalStateException.class).hasMessageContaining("real time");
    }

    @Test
    void withoutAGpuThePlatformIsNotSilentlySimulatedButTheFallbackIsThereWhenAskedFor() {
        assumeTrue(Hip.configuredPlatform() == null, "HIP_PLATFORM or -Dxsched.hip.platform is set");
        assumeFalse(Hip.probeAll().stream().anyMatch(p -> !p.platform().equals("sim") && p.hasDevices()),
                "a GPU is present");
        assertThatThrownBy(Hip::platform).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no GPU platform has a device here")
                .hasMessageContaining("HIP_PLATFORM=sim")
                .hasMessageContaining("Hip.platformOrSimulator()")
                .satisfies(e -> Hip.platformNames().forEach(name -> assertThat(e.getMessage()).contains(name + ": ")));

        Hip.Choice choice = Hip.chooseOrSimulator();
        assertThat(choice.platform().name()).isEqualTo("sim");
        assertThat(choice.reason()).isEqualTo("no GPU platform has a device; fell back to the simulated platform 'sim'");
        assertThat(choice.probes()).extracting(Availability::platform).containsExactlyElementsOf(Hip.platformNames());
        assertThat(Hip.platformOrSimulator()).isSameAs(choice.platform());
    }

    /** As close promises: every call into a closed platform throws, those that never take the engine's lock too. */
    @Test
    void aClosedPlatformRefusesAllocationsEventsAndModules() {
        SimulatedPlatform sim = SimulatedPlatform.builder().build();
        Device gpu = sim.device(0);
        CodeObject code = gpu.compiler().compile("k.hip", "extern \"C\" __global__ void k(int n) { }");
        sim.close();

        assertThatThrownBy(() -> gpu.allocate(16)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> gpu.allocatePinned(16)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(gpu::createEvent).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> gpu.loadModule(code)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(gpu::createStream).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
