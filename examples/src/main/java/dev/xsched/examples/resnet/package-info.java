/**
 * A small inference engine for torchvision's ResNets (ResNet-18/34/50/101 at 224x224, any batch,
 * random weights), on kernels written once in the HIP/CUDA common subset and compiled at run time
 * by hip-ffm (hiprtc on AMD, NVRTC on NVIDIA). It exists to produce the seed scenario's two GPU
 * workloads: ResNet-18 at batch 1 (latency-critical) beside ResNet-50 at batch 1024 (throughput).
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>Description, no device: {@link dev.xsched.examples.resnet.ResNetArchitecture} builds a
 *     {@link dev.xsched.examples.resnet.Network} of {@link dev.xsched.examples.resnet.Layer}s over
 *     numbered {@link dev.xsched.examples.resnet.Tensor}s; {@link dev.xsched.examples.resnet.ModelWeights}
 *     makes batch-norm-folded random weights; {@link dev.xsched.examples.resnet.ReferenceOps} is the
 *     CPU reference; {@link dev.xsched.examples.resnet.PlannedLaunch#plan} lists the launches.</li>
 * <li>Kernels: {@code resnet_kernels.hip} (a resource of this package) and
 *     {@link dev.xsched.examples.resnet.ResNetKernels} (compile once per device, signatures,
 *     argument lists); {@link dev.xsched.examples.resnet.ConvTiling} picks the tile shape.</li>
 * <li>Model: {@link dev.xsched.examples.resnet.ResNet}: {@code build(device, architecture, batch,
 *     seed)}, {@code forward(queue)} (enqueues only, so a scheduler's queue can gate it),
 *     {@code forwardAndWait}, {@code uploadInput}, {@code downloadLogits}, {@code launches()},
 *     {@code flopsPerForward()}.</li>
 * <li>Programs: {@link dev.xsched.examples.resnet.TraceRecorder} (per-launch kernel durations to
 *     the CSV the simulated GPU replays) and {@link dev.xsched.examples.resnet.RunResNet}
 *     (ms/iteration, images/s).</li>
 * </ul>
 *
 * <h2>Running on a GPU host</h2>
 * <pre>
 * ./mvnw -B -q -pl examples -am package -DskipTests
 * java --enable-native-access=dev.xsched.hip -p examples/target/examples-0.2.0.jar:examples/target/lib \
 *     -m dev.xsched.examples/dev.xsched.examples.resnet.TraceRecorder --batch 1024 --runs 10 --out resnet-trace.csv
 * java --enable-native-access=dev.xsched.hip -p examples/target/examples-0.2.0.jar:examples/target/lib \
 *     -m dev.xsched.examples/dev.xsched.examples.resnet.RunResNet resnet50 256 20
 * ./mvnw -B -pl examples -am verify -Dgroups=gpu -Dsurefire.failIfNoSpecifiedTests=false   # the GPU tests
 * </pre>
 */
package dev.xsched.examples.resnet;
