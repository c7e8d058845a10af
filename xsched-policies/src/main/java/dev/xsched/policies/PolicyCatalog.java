package dev.xsched.policies;

import dev.xsched.core.policy.Policies;

import java.util.List;
import java.util.Objects;

/**
 * The installed policies for people: what {@code xsched policies} prints. Reads the
 * {@link dev.xsched.core.policy.PolicyInfo} annotations through {@link Policies#installed()}, so no
 * policy is instantiated.
 *
 * <pre>
 * cfs
 *     fair sharing: the ready queue with the least virtual runtime runs for a slice; ...
 *     parameters:
 *       slice (5ms): how long the chosen queue runs before ...; -Dxsched.policy.cfs.slice or XSCHED_CFS_SLICE
 * </pre>
 */
public final class PolicyCatalog {
    private PolicyCatalog() {
    }

    /**
     * The listing of every installed policy, sorted by name.
     *
     * @return the text, lines ending in {@code \n}
     */
    public static String format() {
        return format(Policies.installed());
    }

    /**
     * The listing of {@code policies}, in the given order; ends with a line on how to select one.
     *
     * @param policies the policies to list, for example {@link Policies#installed()}
     * @return the text, lines ending in {@code \n}; {@code no policies installed} for an empty list
     */
    public static String format(List<Policies.Installed> policies) {
        Objects.requireNonNull(policies, "policies");
        StringBuilder out = new StringBuilder();
        for (Policies.Installed policy : policies) {
            out.append(policy.name()).append('\n');
            out.append("    ").append(policy.description()).append('\n');
            if (!policy.parameters().isEmpty()) {
                out.append("    parameters:\n");
                for (String parameter : policy.parameters()) {
                    out.append("      ").append(parameter).append('\n');
                }
            }
        }
        if (policies.isEmpty()) {
            out.append("no policies installed\n");
        } else {
            out.append("select one with XSCHED_POLICY=<name> or XScheduler.builder().policy(\"<name>\")\n");
        }
        return out.toString();
    }
}
