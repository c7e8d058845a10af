/**
 * A process's side of the scheduler server: {@link dev.xsched.ipc.client.ServerDecisionSource}
 * behind {@code XScheduler.builder().server(path)}, and {@link dev.xsched.ipc.client.ControlClient}
 * for tools.
 */
package dev.xsched.ipc.client;
