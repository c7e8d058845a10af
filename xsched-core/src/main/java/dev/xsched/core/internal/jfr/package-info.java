/**
 * Not API: the JDK Flight Recorder events of the scheduler (commands submitted and launched, sync
 * points completed, queues suspended and resumed, decision rounds and stop-flag writes timed,
 * policy failures), committed only while a recording enables them.
 */
package dev.xsched.core.internal.jfr;
