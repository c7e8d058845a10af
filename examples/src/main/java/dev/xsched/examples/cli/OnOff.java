package dev.xsched.examples.cli;

/** The value of a switch option; lower case, as it is typed ({@code --hw-priority off}). */
enum OnOff {
    on, off
}
