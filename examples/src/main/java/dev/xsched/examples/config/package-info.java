/** How the examples read their JVM-wide settings (system properties), shared by the ResNet kernels and the benchmarks. */
package dev.xsched.examples.config;
