package dev.xsched.hip.internal;

import dev.xsched.hip.DeviceWideCallListener;
import dev.xsched.testsupport.HangGuard;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner of a device's device-wide calls between its listeners. */
@HangGuard(seconds = 60) // the concurrent test joins threads
class DeviceWideCallsTest {
    private final DeviceWideCalls calls = new DeviceWideCalls();
    private final List<String> log = new CopyOnWriteArrayList<>();

    /** Logs "name before" and "name after"; throws from either when told to. */
    private class Logging implements DeviceWideCallListener {
        final String name;
        RuntimeException beforeThrows;
        RuntimeException afterThrows;

        Logging(String name) {
            this.name = name;
        }

        @Override
        public void beforeDeviceWideCall() {
            log.add(name + " before");
            if (beforeThrows != null) {
                throw beforeThrows;
            }
        }

        @Override
        public void afterDeviceWideCall() {
            log.add(name + " after");
            if (afterThrows != null) {
                throw afterThrows;
            }
        }
    }

    private Logging register(String name) {
        Logging listener = new Logging(name);
        calls.add(listener);
        return listener;
    }

    @Test
    void withoutListenersTheCallIsMadeAndItsResultReturned() {
        assertThat(calls.call(() -> 7)).isEqualTo(7);
        AtomicBoolean ran = new AtomicBoolean();
        calls.run(() -> ran.set(true));
        assertThat(ran).isTrue();
        assertThatThrownBy(() -> calls.run(() -> {
            throw new IllegalArgumentException("the call's own");
        })).hasMessage("the call's own");
    }

    @Test
    void beforesRunInRegistrationOrderThenTheCallThenAftersInReverse() {
        register("a");
        register("b");
        register("c");
        String result = calls.call(() -> {
            log.add("call");
            return "made";
        });
        assertThat(result).isEqualTo("made");
        assertThat(log).containsExactly("a before", "b before", "c before", "call", "c after", "b after", "a after");
    }

    @Test
    void aftersRunWhenTheCallThrowsAndTheCallsExceptionPropagates() {
        register("a");
        register("b");
        IllegalStateException failure = new IllegalStateException("driver said no");
        assertThatThrownBy(() -> calls.run(() -> {
            log.add("call");
            throw failure;
        })).isSameAs(failure);
        assertThat(log).containsExactly("a before", "b before", "call", "b after", "a after");

        log.clear();
        Error error = new AssertionError("an error too");
        assertThatThrownBy(() -> calls.run(() -> {
            throw error;
        })).isSameAs(error);
        assertThat(log).containsExactly("a before", "b before", "b after", "a after");
    }

    @Test
    void aBeforeThatThrowsPreventsTheCallAndRunsOnlyTheAftersOfTheBeforesThatRan() {
        register("a");
        Logging b = register("b");
        register("c");
        b.beforeThrows = new IllegalStateException("b refuses");
        AtomicBoolean made = new AtomicBoolean();
        assertThatThrownBy(() -> calls.run(() -> made.set(true))).hasMessage("b refuses");
        assertThat(made).as("the call is not made").isFalse();
        assertThat(log).containsExactly("a before", "b before", "a after");
    }

    @Test
    void anAfterThatThrowsLetsTheOthersRunAndIsThrownOrSuppressed() {
        register("a");
        Logging b = register("b");
        register("c");
        b.afterThrows = new IllegalStateException("b's after");
        assertThatThrownBy(() -> calls.run(() -> log.add("call"))).hasMessage("b's after");
        assertThat(log).containsExactly("a before", "b before", "c before", "call", "c after", "b after", "a after");

        IllegalStateException failure = new IllegalStateException("the call's");
        assertThatThrownBy(() -> calls.run(() -> {
            throw failure;
        })).isSameAs(failure).satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                .containsExactly("b's after"));
    }

    @Test
    void closingARegistrationRemovesItsListenerOnceAndIsIdempotent() {
        Logging a = new Logging("a");
        DeviceWideCallListener.Registration first = calls.add(a);
        DeviceWideCallListener.Registration second = calls.add(a); // twice: two registrations
        register("b");
        calls.run(() -> { });
        assertThat(log).containsExactly("a before", "a before", "b before", "b after", "a after", "a after");

        log.clear();
        first.close();
        first.close(); // does nothing more: the second registration stays
        calls.run(() -> { });
        assertThat(log).containsExactly("a before", "b before", "b after", "a after");

        log.clear();
        second.close();
        calls.run(() -> { });
        assertThat(log).containsExactly("b before", "b after");
        assertThatThrownBy(() -> calls.add(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aCallRunsTheAfterOfAListenerRemovedWhileItIsUnderWay() {
        DeviceWideCallListener.Registration a = calls.add(new Logging("a"));
        calls.run(a::close);
        calls.run(() -> { });
        assertThat(log).containsExactly("a before", "a after");
    }

    /**
     * A listener registered within a call (here on the calling thread itself, which a waiting
     * registration would deadlock) is not run by that call, and is told when it has ended.
     */
    @Test
    void aListenerRegisteredWithinACallIsToldWhenThatCallEnds() {
        register("a");
        calls.run(() -> {
            calls.add(new Logging("late") {
                @Override
                public void earlierCallsEnded() {
                    log.add("late: earlier calls ended");
                }
            });
            log.add("call");
        });
        calls.run(() -> log.add("second call"));
        assertThat(log).containsExactly("a before", "call", "a after", "late: earlier calls ended",
                "a before", "late before", "second call", "late after", "a after");
    }

    /** With no call under way, a new listener is told at once, before the registration returns. */
    @Test
    void withNoCallUnderWayANewListenerIsToldAtOnce() {
        calls.add(new Logging("new") {
            @Override
            public void earlierCallsEnded() {
                log.add("told");
            }
        });
        assertThat(log).containsExactly("told");
    }

    /**
     * A registration does not wait for the calls that began without it (they may wait for work
     * that only the registering thread's progress ends): the listener is told once the last of
     * them has ended, on the thread that ends it, and calls that began after it run it meanwhile.
     */
    @Test
    void aRegistrationReturnsAtOnceAndItsListenerIsToldWhenTheLastEarlierCallEnds() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread calling = Thread.ofPlatform().start(() -> calls.run(() -> {
            inCall.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.add("held call ends");
        }));
        inCall.await();
        AtomicReference<String> toldOn = new AtomicReference<>();
        calls.add(new Logging("new") {
            @Override
            public void earlierCallsEnded() {
                toldOn.set(Thread.currentThread().getName());
                log.add("new: earlier calls ended");
            }
        });
        calls.run(() -> log.add("later call")); // does not wait, and runs the new listener
        assertThat(toldOn.get()).as("not told while the held call is under way").isNull();
        letGo.countDown();
        calling.join();
        assertThat(toldOn.get()).isEqualTo(calling.getName());
        assertThat(log).containsExactly("new before", "later call", "new after", "held call ends", "new: earlier calls ended");
    }

    /**
     * Threads make calls while others register and remove listeners: every listener's befores and
     * afters pair up, on each thread, and nothing throws.
     */
    @Test
    void concurrentRegistrationsAndCallsKeepEveryBeforePairedWithItsAfter() throws Exception {
        int callers = 4;
        int churners = 2;
        int rounds = 500;
        AtomicInteger unbalanced = new AtomicInteger();
        AtomicInteger madeCalls = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        /** Counts its open befores per thread: never negative, zero whenever no call of the thread is under way. */
        final class Pairing implements DeviceWideCallListener {
            private final ThreadLocal<int[]> open = ThreadLocal.withInitial(() -> new int[1]);

            @Override
            public void beforeDeviceWideCall() {
                open.get()[0]++;
            }

            @Override
            public void afterDeviceWideCall() {
                if (--open.get()[0] < 0) {
                    unbalanced.incrementAndGet();
                }
            }

            int openOnThisThread() {
                return open.get()[0];
            }
        }
        List<Pairing> everyListener = new CopyOnWriteArrayList<>();
        for (int t = 0; t < callers; t++) {
            threads.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        calls.run(madeCalls::incrementAndGet);
                        for (Pairing listener : everyListener) {
                            if (listener.openOnThisThread() != 0) {
                                unbalanced.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (int t = 0; t < churners; t++) {
            threads.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        Pairing listener = new Pairing();
                        everyListener.add(listener);
                        DeviceWideCallListener.Registration registration = calls.add(listener);
                        Thread.onSpinWait();
                        registration.close();
                        registration.close();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(madeCalls).hasValue(callers * rounds);
        assertThat(unbalanced).as("an after without its before, or a before without its after").hasValue(0);

        log.clear();
        calls.run(() -> { });
        assertThat(log).as("every registration was removed").isEmpty();
    }
}
