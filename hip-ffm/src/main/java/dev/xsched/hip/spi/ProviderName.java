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
    String value();

    /** Preference when no platform is named: lower is tried first. */
    int order() default 100;
}
