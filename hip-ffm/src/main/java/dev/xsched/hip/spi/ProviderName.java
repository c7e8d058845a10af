package dev.xsched.hip.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a {@link PlatformProvider} is selected by ({@code HIP_PLATFORM}). Read from the class
 * before it is instantiated, so choosing one platform never loads the native libraries of another.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProviderName {
    /**
     * The platform's name, unique among the installed providers (the first in {@link #order()}
     * wins a clash).
     *
     * @return a lower-case name such as {@code amd}, {@code nvidia} or {@code sim}
     */
    String value();

    /**
     * Preference when no platform is named: lower is tried first.
     *
     * @return the rank; hip-ffm's own are {@code amd} 10, {@code nvidia} 20 and {@code sim} 1000
     */
    int order() default 100;
}
