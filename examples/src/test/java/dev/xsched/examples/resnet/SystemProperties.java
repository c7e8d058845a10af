package dev.xsched.examples.resnet;

import java.util.function.Supplier;

/** Tests that set the JVM-wide properties ResNetKernels reads, and put them back as they were. */
final class SystemProperties {
    private SystemProperties() {
    }

    /** Runs {@code body}, then puts the system property {@code name} back as it was. */
    static <T> T restoring(String name, Supplier<T> body) {
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
    static void restoring(String name, Runnable body) {
        restoring(name, () -> {
            body.run();
            return null;
        });
    }
}
