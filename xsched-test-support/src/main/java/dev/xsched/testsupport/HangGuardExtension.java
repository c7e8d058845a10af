package dev.xsched.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
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
                    + body.getName() + " is left where it waits). Every thread:\n" + ThreadDump.take());
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
}
