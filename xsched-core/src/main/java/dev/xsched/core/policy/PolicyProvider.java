package dev.xsched.core.policy;

/**
 * Creates a {@link Policy}; found through {@link java.util.ServiceLoader}. Annotate
 * implementations with {@link PolicyInfo} and register them with {@code provides} in
 * {@code module-info.java} and in {@code META-INF/services/dev.xsched.core.policy.PolicyProvider}
 * for class-path users.
 */
public interface PolicyProvider {
    /**
     * A new policy instance configured from {@code parameters}; called once per scheduler (per
     * GPU in a scheduler server), so instances must not share mutable state. It must look up every
     * parameter it takes here, whatever the values of the others: {@link Policies#create} refuses
     * an explicit parameter that no lookup asked for ({@link PolicyParameters#unread()}) as one the
     * policy does not take.
     *
     * @param parameters the policy's settings, from the API, system properties or environment
     * @return a new, unshared policy
     * @throws IllegalArgumentException if a parameter is malformed or out of range, naming it
     */
    Policy create(PolicyParameters parameters);
}
