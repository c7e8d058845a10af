/**
 * Not API: the simulated GPU behind dev.xsched.hip.sim.SimulatedPlatform: streams, events and
 * kernels on an engine that dispatches thread blocks to simulated compute units in virtual or real
 * time, with stream priorities at block dispatch and cooperative yield modelled. Of what a GPU's
 * device-wide calls (a free, a module load) wait for, only the waits on registered host memory are
 * modelled, the work that can never finish on its own: the other simulated timing does not change
 * (see SimDevice).
 */
package dev.xsched.hip.internal.sim;
