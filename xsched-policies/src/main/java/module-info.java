/**
 * xsched-policies: the scheduling policies of XSched behind the policy SPI of xsched-core, selected
 * by name ({@code XSCHED_POLICY}, {@code XScheduler.builder().policy("hpf")}):
 * {@code fifo}, {@code hpf}, {@code kedf}, {@code lax}, {@code up}, {@code cfs} and {@code mlfq}.
 * {@link dev.xsched.policies.PolicyCatalog} lists what is installed.
 */
module dev.xsched.policies {
    requires transitive dev.xsched.core;

    exports dev.xsched.policies;

    provides dev.xsched.core.policy.PolicyProvider with
            dev.xsched.policies.FifoPolicy.Provider,
            dev.xsched.policies.HpfPolicy.Provider,
            dev.xsched.policies.KedfPolicy.Provider,
            dev.xsched.policies.LaxPolicy.Provider,
            dev.xsched.policies.UpPolicy.Provider,
            dev.xsched.policies.CfsPolicy.Provider,
            dev.xsched.policies.MlfqPolicy.Provider;
}
