/**
 * The service-provider interface of GPU platforms: a {@link dev.xsched.hip.spi.PlatformProvider}
 * annotated with {@link dev.xsched.hip.spi.ProviderName} is found by {@link java.util.ServiceLoader}
 * and chosen by name ({@code HIP_PLATFORM}) or by {@link dev.xsched.hip.Hip}'s order of preference.
 * hip-ffm's own platforms ({@code amd}, {@code nvidia}, {@code sim}) are provided this way; the
 * annotation is read before a provider is instantiated, so probing one platform never loads the
 * native libraries of another.
 */
package dev.xsched.hip.spi;
