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
        return value == null ? unset : parse(name, value);
    }

    /**
     * {@code value}, the setting {@code name}'s, as a boolean.
     *
     * @param name  what the value was set as (a property or variable), for the message
     * @param value exactly {@code true} or {@code false}
     * @throws IllegalArgumentException if it is anything else, naming the setting and the value
     */
    public static boolean parse(String name, String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    }
}
