/**
 * What the multi-process commands of {@code xsched} share: the table of {@code xsched top}, the
 * {@code NAME=VALUE} hints of {@code xsched hint}, and starting other JVMs (the clients of
 * {@code xsched demo --processes 2}) on this JVM's own runtime and module path. The server, the client and
 * the protocol are in xsched-ipc ({@code dev.xsched.ipc.server}, {@code .client}, {@code .protocol}).
 */
package dev.xsched.examples.ipc;
