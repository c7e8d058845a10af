package dev.xsched.core.policy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a {@link PolicyProvider}: read before instantiation, so listing the installed policies
 * or choosing one never creates the others.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PolicyInfo {
    /**
     * The name the policy is selected by ({@code XSCHED_POLICY}).
     *
     * @return a lower-case name, unique among installed policies, equal to {@link Policy#name()}
     */
    String name();

    /**
     * One line: what the policy does.
     *
     * @return the description {@code xsched policies} and {@link Policies#installed()} show
     */
    String description();

    /**
     * Its parameters, one line each: {@code name (default): meaning; how to set it}.
     *
     * @return the lines, empty for a policy without parameters
     */
    String[] parameters() default {};
}
