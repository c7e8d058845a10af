/**
 * The scheduler protocol: {@link dev.xsched.ipc.protocol.Message}s, their wire format
 * ({@link dev.xsched.ipc.protocol.FrameCodec}) and a blocking connection
 * ({@link dev.xsched.ipc.protocol.FrameChannel}).
 */
package dev.xsched.ipc.protocol;
