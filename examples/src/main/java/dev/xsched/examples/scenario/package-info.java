/**
 * The scenario benchmark ({@code xsched demo}): ResNet-18 at batch 1 serving requests at a fixed
 * rate, open loop, beside ResNet-50 at a large batch running back to back, in every mode (each
 * alone, native, native with stream priorities, scheduled by a policy); its table, JSON, latency
 * CSV and CDF chart. On a machine without a GPU it replays kernel durations recorded on an H200
 * on the simulated platform, and says so.
 */
package dev.xsched.examples.scenario;
