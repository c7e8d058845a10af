package dev.xsched.examples.custompolicy;

import dev.xsched.core.policy.Policies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomPolicyExampleTest {
    @Test
    void theUserPolicyIsFoundByNameThroughTheSpi() {
        assertThat(Policies.names()).contains("online-first", "hpf", "fifo");
        assertThat(Policies.create("online-first")).isInstanceOf(OnlineFirstPolicy.class);
    }

    @Test
    void onlineKernelsWaitLessThanUnderFifo() {
        double[] fifo = CustomPolicyExample.onlineWaits("fifo");
        double[] onlineFirst = CustomPolicyExample.onlineWaits("online-first");
        // Under FIFO most kernels of a burst find a batch kernel (2 ms) ahead of them; under
        // online-first only a burst's first kernel can, so the median wait collapses.
        assertThat(onlineFirst[0]).isLessThan(0.1);
        assertThat(fifo[0]).isGreaterThan(0.5);
        assertThat(onlineFirst[1]).isLessThanOrEqualTo(fifo[1]);
    }
}
