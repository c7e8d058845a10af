/**
 * Build support for the project's own test runs, not API: JUnit Platform listeners registered by
 * every module's tests ({@link dev.xsched.testsupport.QuietLogs} holds a passing test's log
 * records back, {@link dev.xsched.testsupport.SkipReasons} prints why tests were skipped or
 * aborted, such as "no GPU"), and what turns a hang into a failure with every thread's stack
 * ({@link dev.xsched.testsupport.Watchdog} around a test's body, {@link dev.xsched.testsupport.HangGuard}
 * on a test class, both through {@link dev.xsched.testsupport.ThreadDump}), and
 * {@link dev.xsched.testsupport.ExternalCommand} for tests that run a program outside the JVM (a
 * script, a compiler) within a time limit. Not published with the library.
 */
package dev.xsched.testsupport;
