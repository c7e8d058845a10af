/** Runnable programs of XSched for Java, and the {@code xsched} command behind the launcher. */
module dev.xsched.examples {
    requires dev.xsched.hip;
    requires dev.xsched.core;
    requires dev.xsched.policies;
    requires org.jfree.jfreechart;
    requires java.desktop;
    requires java.logging;
    requires java.management;
    requires info.picocli;
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
    exports dev.xsched.examples.reliability;
}
