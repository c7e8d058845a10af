package dev.xsched.core.policy;

/**
 * Creates a {@link Policy}; found through {@link java.util.ServiceLoader}. Annotate
 * implementations with {@link PolicyInfo} and register them with {@code provides} in
 * {@code module-info.java} and in {@code META-INF/services/dev.xsched.core.policy.PolicyProvider}
 * for class-path users.
 */
public interface PolicyProvider {
    /** A new policy instance configured from {@code parameters}. */
    Policy create(PolicyParameters parameters);
}
