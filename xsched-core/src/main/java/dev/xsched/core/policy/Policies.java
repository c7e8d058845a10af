package dev.xsched.core.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The installed policies, found through {@link ServiceLoader} and selected by name. */
public final class Policies {
    /** A policy that can be created, described without instantiating it. */
    public record Installed(String name, String description, List<String> parameters,
                            ServiceLoader.Provider<PolicyProvider> provider) {
        public Installed {
            parameters = List.copyOf(parameters);
        }
    }

    private Policies() {
    }

    /** Every installed policy, sorted by name. */
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

    /** The names of the installed policies. */
    public static List<String> names() {
        return installed().stream().map(Installed::name).toList();
    }

    /**
     * Creates the policy called {@code name}, with defaults from system properties and environment.
     *
     * @throws IllegalArgumentException for an unknown name, listing the installed ones
     */
    public static Policy create(String name) {
        return create(name, Map.of());
    }

    /** Creates the policy called {@code name}; {@code parameters} override the defaults. */
    public static Policy create(String name, Map<String, String> parameters) {
        String wanted = name.strip().toLowerCase(java.util.Locale.ROOT);
        for (Installed installed : installed()) {
            if (installed.name().equals(wanted)) {
                return installed.provider().get().create(PolicyParameters.fromSystem(wanted, parameters));
            }
        }
        throw new IllegalArgumentException("unknown policy '" + name + "'; installed: " + names());
    }
}
