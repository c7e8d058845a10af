/** Runnable programs of XSched for Java, and the {@code xsched} command behind the launcher. */
module dev.xsched.examples {
    // Transitive: the exported examples take and return their types (Device, Policy, a command's
    // CommandSpec), so a module using the examples reads them too. Not JFreeChart: an automatic module.
    requires transitive dev.xsched.hip;
    requires transitive dev.xsched.core;
    requires dev.xsched.policies;
    requires transitive dev.xsched.ipc; // StatusTable shows its Message types
    requires org.jfree.jfreechart;
    requires transitive java.desktop;
    requires transitive info.picocli;
    requires java.logging;
    // The scenario's per-request breakdown counts garbage collections (GarbageCollectorMXBean); the soak reads NMT.
    requires java.management;
    requires com.fasterxml.jackson.databind;
    // An automatic module (the jar has no module descriptor): its name comes from the file name.
    requires HdrHistogram;

    exports dev.xsched.examples.cli;
    // picocli reads the commands' annotated fields and creates the command objects reflectively.
    opens dev.xsched.examples.cli to info.picocli;
    // Jackson writes and reads the results' records reflectively.
    opens dev.xsched.examples.bench to com.fasterxml.jackson.databind;
    opens dev.xsched.examples.scenario to com.fasterxml.jackson.databind;
    exports dev.xsched.examples.adoption;
    exports dev.xsched.examples.resnet;
    exports dev.xsched.examples.scenario;
    exports dev.xsched.examples.custompolicy;

    // A policy written outside the library, found by name like the built-in ones.
    provides dev.xsched.core.policy.PolicyProvider with dev.xsched.examples.custompolicy.OnlineFirstPolicy.Provider;
    exports dev.xsched.examples.bench;
    exports dev.xsched.examples.ipc;
    exports dev.xsched.examples.reliability;
}
