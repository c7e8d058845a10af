/** Runnable programs of XSched for Java, and the {@code xsched} command behind the launcher. */
module dev.xsched.examples {
    requires dev.xsched.hip;

    exports dev.xsched.examples.cli;
    exports dev.xsched.examples.bench;
}
