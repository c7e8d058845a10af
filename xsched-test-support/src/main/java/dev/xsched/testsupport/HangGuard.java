package dev.xsched.testsupport;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs each test of the annotated class (or the annotated test), and its {@code @BeforeEach} and
 * {@code @AfterEach} methods, on a thread of its own and fails it, with a dump of every thread, if it has not ended within {@link #seconds()}: a test that
 * drives scheduler threads, simulated GPUs or other processes could otherwise hang the whole
 * build without a word about where. The bound is a hang detector far above what the test needs on
 * a loaded two-core machine, never a timing assertion. The hung thread is left where it hangs
 * (a daemon), so the dump shows it and the run goes on.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HangGuardExtension.class)
public @interface HangGuard {
    /**
     * How long a test may run before it counts as hung.
     *
     * @return seconds, at least 1
     */
    int seconds() default 300;
}
