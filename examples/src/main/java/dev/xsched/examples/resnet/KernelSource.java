package dev.xsched.examples.resnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the ResNet kernels' source as a device compiles it ({@link ResNetKernels#source()}: the
 * preludes, the defines that this JVM's system properties choose, resnet_kernels.hip and
 * conv_tf32.hip) to a file, for reading what a compiler makes of it without a GPU:
 * {@code xsched java dev.xsched.examples.resnet.KernelSource OUT.cu}, then for example
 * {@code nvcc -arch=sm_90 -cubin -Xptxas -v OUT.cu} for each kernel's registers and spills
 * (docs/tensor-cores.md, "Reading the kernels' machine code").
 */
public final class KernelSource {
    private KernelSource() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KernelSource OUT.cu (the ResNet kernels' source, as ResNetKernels compiles it)");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.writeString(out, ResNetKernels.source(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }
}
