package dev.xsched.policies;

import dev.xsched.core.policy.Policies;
import dev.xsched.core.policy.PolicyParameters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvidersTest {
    @Test
    void everyPolicyIsInstalledAndCreatedByName() {
        assertThat(Policies.names()).contains("cfs", "fifo", "hpf", "kedf", "lax", "mlfq", "up", "pass-through");
        for (String name : new String[] {"fifo", "hpf", "kedf", "lax", "up", "cfs", "mlfq"}) {
            assertThat(Policies.create(name).name()).isEqualTo(name);
        }
    }

    /** A misspelt parameter would otherwise leave the default in force without a word. */
    @Test
    void aParameterThePolicyDoesNotTakeIsRefusedNamingThoseItTakes() {
        assertThatThrownBy(() -> Policies.create("mlfq", Map.of("quantum", "5ms")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy mlfq takes no parameter quantum; it takes boost, levels, slice");
        assertThatThrownBy(() -> Policies.create("hpf", Map.of("slice", "1ms")))
                .hasMessage("policy hpf takes no parameter slice (it takes none)");
        var parameters = new PolicyParameters("cfs", Map.of("slice", "1ms", "slise", "2ms"), k -> null, k -> null);
        new CfsPolicy.Provider().create(parameters);
        assertThat(parameters.unread()).containsExactly("slise");
        assertThat(parameters.read()).containsExactly("slice");
    }

    @Test
    void parametersComeFromTheMapSystemPropertiesOrEnvironment() {
        assertThat(Decisions.create("kedf", Map.of("k", "3"))).hasToString("kedf(k=3, handover=immediate)");
        assertThat(Decisions.create("kedf", Map.of("handover", "Drain"))).hasToString("kedf(k=1, handover=drain, poll=20us)");
        assertThat(Decisions.create("kedf", Map.of("handover", "drain", "poll", "50us"))).hasToString("kedf(k=1, handover=drain, poll=50us)");
        assertThat(Decisions.create("up", Map.of("timeslice", "2ms", "default-utilization", "20")))
                .hasToString("up(timeslice=2ms, default-utilization=20)");
        assertThat(Decisions.create("mlfq", Map.of("levels", "3", "slice", "500us", "boost", "2s")))
                .hasToString("mlfq(levels=3, slice=500us, boost=2s)");
        // Through Policies.create too: cfs's one parameter is given, so no environment changes it.
        assertThat(Policies.create("cfs", Map.of("slice", "1000000"))).hasToString("cfs(slice=1ms)");

        var environment = new PolicyParameters("cfs", Map.of(), k -> null,
                k -> k.equals("XSCHED_CFS_SLICE") ? "7ms" : null);
        assertThat(new CfsPolicy.Provider().create(environment)).hasToString("cfs(slice=7ms)");
        var property = new PolicyParameters("up", Map.of(), k -> k.equals("xsched.policy.up.default-utilization") ? "33" : null,
                k -> k.equals("XSCHED_UP_DEFAULT_UTILIZATION") ? "44" : null);
        assertThat(new UpPolicy.Provider().create(property)).hasToString("up(timeslice=5ms, default-utilization=33)");
    }

    @Test
    void defaultsAreXSchedsDefaults() {
        assertThat(Decisions.create("kedf", Map.of())).hasToString("kedf(k=1, handover=immediate)");
        assertThat(Decisions.create("up", Map.of())).hasToString("up(timeslice=5ms, default-utilization=10)");
        assertThat(Decisions.create("cfs", Map.of())).hasToString("cfs(slice=5ms)");
        assertThat(Decisions.create("mlfq", Map.of())).hasToString("mlfq(levels=4, slice=10ms, boost=1s)");
    }

    @Test
    void invalidParametersAreRejectedWithTheirName() {
        assertThatThrownBy(() -> Decisions.create("kedf", Map.of("k", "0"))).hasMessageContaining("k must be in [1");
        assertThatThrownBy(() -> Decisions.create("kedf", Map.of("handover", "later")))
                .hasMessageContaining("handover must be drain or immediate, got 'later'");
        assertThatThrownBy(() -> Decisions.create("up", Map.of("timeslice", "soon"))).hasMessageContaining("timeslice");
        assertThatThrownBy(() -> Decisions.create("mlfq", Map.of("slice", "-1ms"))).hasMessageContaining("slice");
        assertThatThrownBy(() -> Decisions.create("up", Map.of("default-utilization", "0"))).hasMessageContaining("default-utilization");
    }

    @Test
    void durationsAcceptUnits() {
        assertThat(PolicySupport.parseDuration("5ms")).isEqualTo(5_000_000);
        assertThat(PolicySupport.parseDuration(" 250 us ")).isEqualTo(250_000);
        assertThat(PolicySupport.parseDuration("1.5s")).isEqualTo(1_500_000_000);
        assertThat(PolicySupport.parseDuration("42")).isEqualTo(42);
        assertThat(PolicySupport.parseDuration("42ns")).isEqualTo(42);
        assertThat(PolicySupport.parseDuration("x")).isEqualTo(-1);
        assertThat(PolicySupport.parseDuration(".5ms")).isEqualTo(500_000);
        assertThat(PolicySupport.parseDuration("1_000us")).isEqualTo(1_000_000);
    }

    @Test
    void durationsAreRejectedUnlessPlainDecimal() {
        // Double.parseDouble reads Java's float and double suffixes, hexadecimal and exponents:
        // "1d" was 1 ns, "5f" 5 ns, "0x1p4" 16 ns.
        for (String text : new String[] {"1d", "5f", "5D", "0x1p4", "1e6", "NaN", "Infinity", "+5ms", "-1ms", "5 m s", "5mss"}) {
            assertThat(PolicySupport.parseDuration(text)).as(text).isEqualTo(-1);
        }
        assertThatThrownBy(() -> Decisions.create("mlfq", Map.of("boost", "1d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy mlfq parameter boost")
                .hasMessageContaining("ns, us, ms or s")
                .hasMessageContaining("got '1d'");
        assertThatThrownBy(() -> Decisions.create("up", Map.of("timeslice", "5d"))).hasMessageContaining("parameter timeslice");
    }

    @Test
    void theCatalogListsNamesDescriptionsAndParameters() {
        String listing = PolicyCatalog.format();
        assertThat(listing)
                .contains("hpf\n    highest priority first")
                .contains("kedf\n", "    parameters:\n      k (1): ")
                .contains("XSCHED_UP_DEFAULT_UTILIZATION", "-Dxsched.policy.mlfq.boost")
                .contains("pass-through\n")
                .endsWith("select one with XSCHED_POLICY=<name> or XScheduler.builder().policy(\"<name>\")\n");
        assertThat(listing.indexOf("cfs\n")).isLessThan(listing.indexOf("up\n"));
        assertThat(PolicyCatalog.format(java.util.List.of())).isEqualTo("no policies installed\n");
    }
}
