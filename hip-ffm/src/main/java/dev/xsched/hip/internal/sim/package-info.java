/**
 * Not API: the simulated GPU behind dev.xsched.hip.sim.SimulatedPlatform: streams, events and
 * kernels on an engine that dispatches thread blocks to simulated compute units in virtual or real
 * time, with stream priorities at block dispatch and cooperative yield modelled.
 */
package dev.xsched.hip.internal.sim;
