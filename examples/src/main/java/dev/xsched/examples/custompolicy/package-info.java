/**
 * {@code xsched example custom-policy}: a policy written outside the library
 * ({@link dev.xsched.examples.custompolicy.OnlineFirstPolicy}), registered through the SPI and
 * selected by name like the built-in ones, compared with {@code fifo} on the simulated GPU in
 * virtual time.
 */
package dev.xsched.examples.custompolicy;
