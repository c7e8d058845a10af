/**
 * Not API: what the platforms share (the bases of native devices, streams, events and buffers,
 * copy range checks, kernel parameter packing, native library discovery and loading). The module
 * does not export it; dev.xsched.hip is the API.
 */
package dev.xsched.hip.internal;
