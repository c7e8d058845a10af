package dev.xsched.examples;

/**
 * On the module path a test-only library (the YAML reader, Kubernetes's models) is a module of its
 * own that dev.xsched.examples, whose tests these are, does not require: a test reads it from here
 * before it touches any of its classes.
 */
public final class TestOnlyModules {
    private TestOnlyModules() {
    }

    /**
     * Makes {@code reader}'s module read the modules of the named classes. By name: a class literal
     * of an unread module would already fail its access check. Call it from a static initializer
     * that runs before the fields using those classes.
     *
     * @throws ExceptionInInitializerError if a class is not there (the test dependency is missing)
     */
    public static void read(Class<?> reader, String... classNames) {
        try {
            for (String name : classNames) {
                reader.getModule().addReads(Class.forName(name).getModule());
            }
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
