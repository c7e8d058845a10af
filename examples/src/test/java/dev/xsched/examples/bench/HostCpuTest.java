package dev.xsched.examples.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostCpuTest {
    @Test
    void aQuotaAndItsThrottlingAreReadFromTheCgroup(@TempDir Path cgroup) throws Exception {
        Files.writeString(cgroup.resolve("cpu.max"), "400000 100000\n");
        Files.writeString(cgroup.resolve("cpu.stat"), "usage_usec 123\nnr_periods 50\nnr_throttled 12\nthrottled_usec 35200\n");
        Path stat = cgroup.resolve("stat");
        Files.writeString(stat, "cpu  166897 0 86895 578378 784 0 1776 3 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
        HostCpu before = HostCpu.read(16, cgroup, stat);
        assertThat(before.quotaCpus()).hasValue(4.0);
        assertThat(before.describe("so far")).isEqualTo(
                "16 CPUs available, CPU quota 4.00 CPUs (cgroup cpu.max), throttled 12 times (35.2 ms), "
                        + "30 ms stolen by the hypervisor (all CPUs) so far");

        Files.writeString(cgroup.resolve("cpu.stat"), "usage_usec 456\nnr_periods 90\nnr_throttled 15\nthrottled_usec 41700\n");
        Files.writeString(stat, "cpu  166999 0 86895 578378 784 0 1776 7 0 0\n");
        assertThat(HostCpu.read(16, cgroup, stat).since(before).throttling("during this mode"))
                .isEqualTo("throttled 3 times (6.5 ms), 40 ms stolen by the hypervisor (all CPUs) during this mode");
    }

    @Test
    void noQuotaAndNoCgroupAreSaid(@TempDir Path cgroup) throws Exception {
        Path noStat = cgroup.resolve("no-stat");
        assertThat(HostCpu.read(2, cgroup, noStat).describe("so far")).isEqualTo("2 CPUs available, no CPU quota found, "
                + "CPU throttling unknown (no cgroup cpu.stat), steal unknown (no /proc/stat) so far");
        Files.writeString(cgroup.resolve("cpu.max"), "max 100000\n");
        assertThat(HostCpu.read(2, cgroup, noStat).quotaCpus()).isEqualTo(OptionalDouble.empty());
        HostCpu unknown = HostCpu.read(2, cgroup, noStat);
        assertThat(unknown.since(unknown).throttled()).isEqualTo(-1);
        assertThat(unknown.since(unknown).stealMillis()).isEqualTo(-1);
        assertThatThrownBy(() -> HostCpu.parseQuota("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a cpu.max line");
        assertThatThrownBy(() -> HostCpu.parseSteal("intr 1 2 3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not /proc/stat's cpu line");
    }

    @Test
    void thisHostIsRead() {
        HostCpu now = HostCpu.now();
        assertThat(now.processors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(now.describe("so far")).startsWith(now.processors() + " CPUs available, ");
    }
}
