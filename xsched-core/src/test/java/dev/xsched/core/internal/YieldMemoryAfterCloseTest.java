package dev.xsched.core.internal;

import dev.xsched.core.fake.FakeGpu;
import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A yieldable launch racing its queue's close reaches the yield memory after the close freed it:
 * neither the memory nor a state buffer is made then, since nothing would free it, and the
 * launch is refused as on a closed queue.
 */
class YieldMemoryAfterCloseTest {
    private final FakeGpu gpu = new FakeGpu();

    private YieldController controller() {
        return new YieldController("q", gpu, 4, true, false, new ReentrantLock());
    }

    @Test
    void noYieldMemoryIsMadeAfterTheClose() {
        YieldController yield = controller();
        yield.close();
        assertThatThrownBy(yield::support).isInstanceOf(IllegalStateException.class).hasMessage("XQueue q is closed");
        assertThat(gpu.streams()).as("no flag stream made").isEmpty();
    }

    @Test
    void noStateBufferIsAllocatedAfterTheClose() {
        YieldController yield = controller();
        YieldSupport support = yield.support(); // taken before the close, used after it
        support.releaseState(support.acquireState(100)); // a buffer in the pool, freed by the close
        yield.close();
        assertThatThrownBy(() -> support.acquireState(100)).isInstanceOf(IllegalStateException.class)
                .hasMessage("XQueue q is closed");
        assertThatThrownBy(() -> support.acquireState(1 << 20)).as("nor a new one allocated")
                .isInstanceOf(IllegalStateException.class).hasMessage("XQueue q is closed");
    }
}
