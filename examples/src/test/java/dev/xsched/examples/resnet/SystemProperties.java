package dev.xsched.examples.resnet;

import java.util.function.Supplier;

/** Tests that set JVM-wide properties the examples read (ResNetKernels', the scenario's), and put them back as they were. */
public final class SystemProperties {
    private SystemProperties() {
    }

    /** Runs {@code body}, then puts the system property {@code name} back as it was. */
    public static <T> T restoring(String name, Supplier<T> body) {
        String before = System.getProperty(name);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }

    /** {@link #restoring(String, Supplier)} for a body that returns nothing. */
    public static void restoring(String name, Runnable body) {
        restoring(name, () -> {
            body.run();
            return null;
        });
    }
}
