/**
 * The {@code xsched} command behind the {@code ./xsched} launcher and the bundle's
 * {@code bin/xsched}: it dispatches to {@code info}, {@code policies}, {@code demo},
 * {@code bench ...}, {@code example ...} and {@code chart}.
 */
package dev.xsched.examples.cli;
