/**
 * xsched-micrometer: an {@link dev.xsched.core.XScheduler}'s queues and decisions as Micrometer
 * meters ({@link dev.xsched.micrometer.XSchedulerMetrics}). Optional: the library modules do not
 * depend on it.
 */
module dev.xsched.micrometer {
    requires transitive dev.xsched.core;
    requires transitive micrometer.core;

    exports dev.xsched.micrometer;
}
