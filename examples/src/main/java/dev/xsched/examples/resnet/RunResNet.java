package dev.xsched.examples.resnet;

import dev.xsched.hip.Device;
import dev.xsched.hip.Event;
import dev.xsched.hip.Stream;

import java.util.Locale;

/**
 * Runs one ResNet back to back on a real GPU and prints milliseconds per iteration and images
 * per second: {@code RunResNet [model (resnet18|resnet50, default resnet50)] [batch (default 64)]
 * [iterations (default 20)]}. Three warm-up passes come first (they absorb module loading and
 * clock ramp-up); the iterations are then enqueued together and timed with two events.
 */
public final class RunResNet {
    private static final int WARMUP = 3;

    public static void main(String[] args) {
        ResNetArchitecture architecture;
        int batch;
        int iterations;
        try {
            architecture = ResNetArchitecture.parse(args.length > 0 ? args[0] : "resnet50");
            batch = Checks.positive("batch", args.length > 1 ? wholeNumber("batch", args[1]) : 64);
            iterations = Checks.positive("iterations", args.length > 2 ? wholeNumber("iterations", args[2]) : 20);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: RunResNet [resnet18|resnet50] [batch] [iterations]");
            System.exit(2);
            return;
        }
        Device gpu;
        try {
            gpu = RealGpu.open();
        } catch (IllegalStateException e) {
            System.err.println("RunResNet needs a real GPU: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf(Locale.ROOT, "%s batch %d on %s (%s)%n", architecture.modelName(), batch, gpu.name(),
                gpu.architecture());
        try (ResNet model = ResNet.build(gpu, architecture, batch, 1);
             Stream stream = gpu.createStream();
             Event start = gpu.createEvent();
             Event end = gpu.createEvent()) {
            model.uploadInput(stream, ResNet.randomImages(model.network(), batch, 2));
            for (int i = 0; i < WARMUP; i++) {
                model.forwardAndWait(stream);
            }
            stream.record(start);
            for (int i = 0; i < iterations; i++) {
                model.forward(stream);
            }
            stream.record(end);
            end.synchronize();
            double msPerIteration = end.elapsedMillis(start) / iterations;
            float[] logits = model.downloadLogits(stream);
            boolean finite = true;
            for (float v : logits) {
                finite &= Float.isFinite(v);
            }
            double tflops = model.flopsPerForward() / (msPerIteration * 1e-3) / 1e12;
            System.out.printf(Locale.ROOT, "%.3f ms/iteration, %.1f images/s, %.2f TFLOP/s (FP32 peak %s); logits %s%n",
                    msPerIteration, batch / (msPerIteration * 1e-3), tflops, Fp32Peak.of(gpu),
                    finite ? "finite" : "NOT FINITE");
        }
    }

    private static int wholeNumber(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
    }

    private RunResNet() {
    }
}
