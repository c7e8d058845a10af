package dev.xsched.examples.config;

/** The examples' true/false system properties, read strictly: a typo fails instead of reading as false. */
public final class BooleanProperty {
    private BooleanProperty() {
    }

    /**
     * The system property {@code name}.
     *
     * @param name  the property
     * @param unset the value when it is not set
     * @return {@code true} or {@code false} as set, {@code unset} when it is not
     * @throws IllegalArgumentException if it is set to anything else, naming the property and the value
     */
    public static boolean read(String name, boolean unset) {
        String value = System.getProperty(name);
        if (value == null) {
            return unset;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    }
}
