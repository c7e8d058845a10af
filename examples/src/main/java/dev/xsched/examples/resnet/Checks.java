package dev.xsched.examples.resnet;

/** Argument checks with messages that name the argument. */
final class Checks {
    private Checks() {
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    static void length(String name, float[] array, long expected) {
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " floats, got " + array.length);
        }
    }
}
