package dev.xsched.examples.cli;

/** The value of a switch option; lower case, as it is typed ({@code --hw-priority off}). */
enum OnOff {
    on, off;

    /** A switch as given, or null where it was not (its default is then the caller's to choose). */
    static Boolean asked(OnOff option) {
        return option == null ? null : option == on;
    }
}
