package dev.xsched.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

class HangGuardTest {
    /** Run by the test kit below, not by the build itself (a nested class is not discovered there). */
    @HangGuard(seconds = 1)
    static class Guarded {
        static final CountDownLatch NEVER = new CountDownLatch(1);

        @Test
        void hangs() throws InterruptedException {
            NEVER.await();
        }

        @Test
        void passes() {
        }

        @Test
        void fails() {
            throw new IllegalStateException("its own failure");
        }
    }

    @Test
    void aHangingTestFailsWithEveryThreadsStackAndTheOthersRunAsBefore() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Guarded.class)).execute().testEvents();
        tests.assertStatistics(s -> s.started(3).succeeded(1).failed(2));
        tests.assertThatEvents().haveExactly(1, event(test("hangs"), finishedWithFailure(instanceOf(AssertionError.class),
                message(m -> m.contains("hangs() has not ended after 1 s: a hang")
                        && m.contains("Guarded.hangs(HangGuardTest.java")))));
        tests.assertThatEvents().haveExactly(1, event(test("fails"),
                finishedWithFailure(instanceOf(IllegalStateException.class), message("its own failure"))));
        assertThat(ThreadDump.take()).contains("\"main\"");
    }
}
