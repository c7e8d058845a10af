/**
 * What the client and server packages of xsched-ipc share and its users need not see: not
 * exported from the module.
 */
package dev.xsched.ipc.internal;
