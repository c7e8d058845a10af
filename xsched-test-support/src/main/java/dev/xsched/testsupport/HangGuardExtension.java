package dev.xsched.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link HangGuard}'s extension: each invocation of a test method, and of its {@code @BeforeEach}
 * and {@code @AfterEach} methods, on a daemon thread, awaited with the bound.
 */
public final class HangGuardExtension implements InvocationInterceptor {
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        guard(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext context) throws Throwable {
        guard(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                          ExtensionContext context) throws Throwable {
        guard(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                         ExtensionContext context) throws Throwable {
        guard(invocation, context);
    }

    private static void guard(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        int seconds = limitSeconds(context);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Thread body = Thread.ofPlatform().daemon().name("hang-guarded " + context.getDisplayName()).start(() -> {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                ended.countDown();
            }
        });
        if (!ended.await(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(context.getDisplayName() + " has not ended after " + seconds + " s: a hang ("
                    + body.getName() + " is left where it waits). Every thread:\n" + threadDump());
        }
        if (thrown.get() != null) {
            throw thrown.get();
        }
    }

    private static int limitSeconds(ExtensionContext context) {
        Optional<HangGuard> guard = context.getElement().map(e -> e.getAnnotation(HangGuard.class))
                .or(() -> context.getTestClass().map(AnnotatedElement.class::cast).map(c -> c.getAnnotation(HangGuard.class)));
        int seconds = guard.map(HangGuard::seconds).orElse(300);
        if (seconds < 1) {
            throw new IllegalArgumentException("@HangGuard(seconds = " + seconds + "): at least 1");
        }
        return seconds;
    }

    /**
     * Every live thread with its whole stack and locks ({@link ThreadInfo#toString()} cuts stacks
     * at eight frames, too few to see where a wait began).
     */
    static String threadDump() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null) {
            out.append("DEADLOCK among thread ids ").append(Arrays.toString(deadlocked)).append('\n');
        }
        for (ThreadInfo info : threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported())) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockInfo() != null) {
                out.append(" on ").append(info.getLockInfo());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            StackTraceElement[] stack = info.getStackTrace();
            for (int depth = 0; depth < stack.length; depth++) {
                out.append("\tat ").append(stack[depth]).append('\n');
                for (MonitorInfo monitor : info.getLockedMonitors()) {
                    if (monitor.getLockedStackDepth() == depth) {
                        out.append("\t- locked ").append(monitor).append('\n');
                    }
                }
            }
            for (LockInfo lock : info.getLockedSynchronizers()) {
                out.append("\t- locked ").append(lock).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
