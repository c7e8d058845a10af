package dev.xsched.core.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Default values of a policy's parameters, looked up in order: an explicit map (from the API),
 * the system property {@code xsched.policy.<policy>.<name>}, then the environment variable
 * {@code XSCHED_<POLICY>_<NAME>} (upper case, '-' and '.' as '_'). A blank value counts as unset.
 * Its values are immutable given lookups that are; it records which names were looked up, so
 * that a name given explicitly that the policy never asks for is found ({@link #unread()}). A
 * provider reads it once, in {@link PolicyProvider#create}.
 */
public final class PolicyParameters {
    private final String policy;
    private final Map<String, String> explicit;
    private final Function<String, String> properties;
    private final Function<String, String> environment;
    /** The names a provider looked up: an explicit one it never did is a misspelling ({@link #unread()}). */
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    /**
     * Parameters with injected lookups (tests pass maps' {@code get}).
     *
     * @param policy      the policy's name, the {@code <policy>} of the property and variable names
     * @param explicit    values given through the API, by parameter name; copied
     * @param properties  looks up a system property by its full name (null: unset)
     * @param environment looks up an environment variable by its full name (null: unset)
     */
    public PolicyParameters(String policy, Map<String, String> explicit, Function<String, String> properties,
                            Function<String, String> environment) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.explicit = Map.copyOf(explicit);
        this.properties = properties;
        this.environment = environment;
    }

    /**
     * Parameters from the system properties and environment of this process.
     *
     * @param policy   the policy's name
     * @param explicit values given through the API, by parameter name; they win
     * @return the parameters
     */
    public static PolicyParameters fromSystem(String policy, Map<String, String> explicit) {
        return new PolicyParameters(policy, explicit, System::getProperty, System::getenv);
    }

    /**
     * The policy these parameters are for.
     *
     * @return its name
     */
    public String policy() {
        return policy;
    }

    /**
     * A parameter as text, stripped.
     *
     * @param name         the parameter's name, for example {@code slice}
     * @param defaultValue returned when no source sets it (may be null)
     * @return the first value set, or {@code defaultValue}
     */
    public String string(String name, String defaultValue) {
        read.add(name);
        String value = explicit.get(name);
        if (value == null) {
            value = properties.apply("xsched.policy." + policy + "." + name);
        }
        if (value == null) {
            value = environment.apply(("XSCHED_" + policy + "_" + name).toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_'));
        }
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    /**
     * The explicit parameters no lookup has asked for so far, sorted. After a provider's
     * {@link PolicyProvider#create} these are names the policy does not take: {@link Policies#create}
     * refuses them, since a misspelt parameter would otherwise leave the default in force silently.
     * (Properties and environment variables are not checked: others may share their prefix.)
     *
     * @return the names, empty when every explicit one was read
     */
    public SortedSet<String> unread() {
        SortedSet<String> names = new TreeSet<>(explicit.keySet());
        names.removeAll(read);
        return names;
    }

    /**
     * The names looked up so far, sorted.
     *
     * @return the names
     */
    public SortedSet<String> read() {
        return new TreeSet<>(read);
    }

    /**
     * A parameter as a decimal integer.
     *
     * @param name         the parameter's name
     * @param defaultValue returned when no source sets it
     * @return the value
     * @throws IllegalArgumentException if the value set is not an integer, naming policy and parameter
     */
    public long longValue(String name, long defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("policy " + policy + " parameter " + name + " must be an integer, got '" + value + "'");
        }
    }

    /**
     * A parameter as a decimal {@code int}.
     *
     * @param name         the parameter's name
     * @param defaultValue returned when no source sets it
     * @return the value
     * @throws IllegalArgumentException if the value set is not an integer or outside the int range
     */
    public int intValue(String name, int defaultValue) {
        long value = longValue(name, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("policy " + policy + " parameter " + name + " is out of the int range: " + value);
        }
        return (int) value;
    }
}
