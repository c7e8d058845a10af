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

    exports dev.xsched.examples.cli;
    // picocli reads the commands' annotated fields and creates the command objects reflectively.
    opens dev.xsched.examples.cli to info.picocli;
    exports dev.xsched.examples.adoption;
    exports dev.xsched.examples.resnet;
    exports dev.xsched.examples.scenario;
    exports dev.xsched.examples.custompolicy;

    // A policy written outside the library, found by name like the built-in ones.
    provides dev.xsched.core.policy.PolicyProvider with dev.xsched.examples.custompolicy.OnlineFirstPolicy.Provider;
    exports dev.xsched.examples.bench;
    exports dev.xsched.examples.reliability;
}
