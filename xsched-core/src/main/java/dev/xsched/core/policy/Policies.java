package dev.xsched.core.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;

/** The installed policies, found through {@link ServiceLoader} and selected by name. */
public final class Policies {
    /**
     * A policy that can be created, described without instantiating it.
     *
     * @param name        the name it is selected by ({@link PolicyInfo#name()})
     * @param description one line ({@link PolicyInfo#description()})
     * @param parameters  one line per parameter ({@link PolicyInfo#parameters()})
     * @param provider    instantiates the {@link PolicyProvider} on {@code get()}
     */
    public record Installed(String name, String description, List<String> parameters,
                            ServiceLoader.Provider<PolicyProvider> provider) {
        /**
         * Copies {@code parameters}.
         *
         * @param name        the policy's name
         * @param description one line
         * @param parameters  one line per parameter
         * @param provider    the service loader's handle
         */
        public Installed {
            parameters = List.copyOf(parameters);
        }
    }

    private Policies() {
    }

    /**
     * Every installed policy, sorted by name: the providers visible to this module's class loader
     * (module path and class path) that carry {@link PolicyInfo}. Scans anew on every call.
     *
     * @return the policies, none of them instantiated
     */
    public static List<Installed> installed() {
        return ServiceLoader.load(PolicyProvider.class, Policies.class.getClassLoader()).stream()
                .filter(p -> p.type().isAnnotationPresent(PolicyInfo.class))
                .map(p -> {
                    PolicyInfo info = p.type().getAnnotation(PolicyInfo.class);
                    return new Installed(info.name(), info.description(), List.of(info.parameters()), p);
                })
                .sorted(Comparator.comparing(Installed::name))
                .toList();
    }

    /**
     * The names of the installed policies.
     *
     * @return the names, sorted; always contains {@value PassThroughPolicy#NAME}
     */
    public static List<String> names() {
        return installed().stream().map(Installed::name).toList();
    }

    /**
     * Creates the policy called {@code name}, with defaults from system properties and environment.
     *
     * @param name the policy's name; case and surrounding blanks are ignored
     * @return a new instance, for one scheduler
     * @throws IllegalArgumentException for an unknown name, listing the installed ones, or a
     *         malformed parameter
     */
    public static Policy create(String name) {
        return create(name, Map.of());
    }

    /**
     * Creates the policy called {@code name}; {@code parameters} override the defaults.
     *
     * @param name       the policy's name; case and surrounding blanks are ignored
     * @param parameters parameter name to value, as {@link PolicyParameters} reads them (for
     *                   example {@code "slice" -> "2ms"}); wins over properties and environment
     * @return a new instance, for one scheduler
     * @throws IllegalArgumentException for an unknown name, listing the installed ones, a
     *         malformed parameter, or a parameter the policy does not take, listing those it takes
     */
    public static Policy create(String name, Map<String, String> parameters) {
        String wanted = name.strip().toLowerCase(java.util.Locale.ROOT);
        for (Installed installed : installed()) {
            if (installed.name().equals(wanted)) {
                PolicyParameters given = PolicyParameters.fromSystem(wanted, parameters);
                Policy policy = installed.provider().get().create(given);
                SortedSet<String> unknown = given.unread();
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("policy " + wanted + " takes no parameter " + String.join(", ", unknown)
                            + (given.read().isEmpty() ? " (it takes none)" : "; it takes " + String.join(", ", given.read())));
                }
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown policy '" + name + "'; installed: " + names());
    }
}
