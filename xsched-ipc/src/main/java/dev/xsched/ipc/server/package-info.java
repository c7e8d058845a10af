/**
 * The scheduler server: {@link dev.xsched.ipc.server.SchedulerServer} (sockets, one thread) around
 * {@link dev.xsched.ipc.server.Coordinator} (clients, queues and one policy per GPU UUID, no I/O).
 */
package dev.xsched.ipc.server;
