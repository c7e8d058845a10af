package dev.xsched.core.internal;

import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.hip.Device;
import dev.xsched.hip.DeviceBuffer;
import dev.xsched.hip.sim.SimulatedPlatform;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RemoteStop}'s count of the device-wide calls that pause its wait, on the simulated GPU:
 * pauses nest, only the last resume arms the wait again, and a resume without a pause is refused
 * (a counting fault the device-wide-call listener logs) without changing the count.
 */
@HangGuard(seconds = 30)
class RemoteStopPausesTest {
    @TempDir
    Path folder;

    private final SimulatedPlatform sim = SimulatedPlatform.builder().build();
    private final Device gpu = sim.device(0);
    private final DeviceBuffer flag = gpu.allocate(Integer.BYTES);
    private StopWordFile file;
    private RemoteStop stop;

    @AfterEach
    void close() {
        if (stop != null) {
            stop.close();
        }
        if (file != null) {
            file.close();
        }
        flag.close();
        sim.close();
    }

    private StopWord started() {
        file = StopWordFile.create(folder.resolve("stop"));
        StopWord word = file.allocate();
        stop = new RemoteStop(word, gpu, flag);
        stop.start(0, false);
        return word;
    }

    @Test
    void aResumeWithoutAPauseIsRefusedAndLeavesTheWaitArmed() {
        StopWord word = started();
        assertThatThrownBy(stop::resume).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a pause in force");
        word.advance();
        assertThat(stop.fired()).as("still armed: a store fires it").isTrue();
    }

    @Test
    void nestedPausesArmTheWaitAgainOnlyAtTheLastResume() {
        StopWord word = started();
        stop.pause(false);
        stop.pause(false);
        stop.resume();
        word.advance();
        assertThat(stop.fired()).as("one pause still in force: nothing armed").isFalse();
        stop.resume();
        word.advance();
        assertThat(stop.fired()).as("the last resume armed the wait").isTrue();
        assertThatThrownBy(stop::resume).isInstanceOf(IllegalStateException.class);
    }
}
