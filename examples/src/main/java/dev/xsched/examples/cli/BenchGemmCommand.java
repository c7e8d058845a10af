package dev.xsched.examples.cli;

import dev.xsched.examples.bench.GemmBenchmark;
import dev.xsched.hip.blas.ComputeType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code xsched bench gemm}: {@link GemmBenchmark}. */
@Command(name = "gemm", sortOptions = false,
        description = {"one cuBLAS/hipBLAS GEMM timed with events, on a stream and through an XQueue",
                "C = A B on N x N FP32 matrices (TF32 compute by default), on the chosen platform's device 0; a table "
                        + "and one JSON line per queue. bench/run-gemm-comparison.sh in the bundle puts it beside the same "
                        + "call from C and torch.matmul."})
final class BenchGemmCommand extends Subcommand {
    /** The queues {@code --queue} selects. */
    enum Queues {
        stream, xqueue, both
    }

    @Option(names = "--size", paramLabel = "N", description = "N of the N^3 GEMM (default ${DEFAULT-VALUE})")
    int size = GemmBenchmark.Options.DEFAULT_SIZE;

    @Option(names = "--iterations", paramLabel = "N", description = "timed GEMMs per queue (default ${DEFAULT-VALUE})")
    int iterations = GemmBenchmark.Options.DEFAULT_ITERATIONS;

    @Option(names = "--warmup", paramLabel = "N", description = "untimed GEMMs before them (default ${DEFAULT-VALUE})")
    int warmup = GemmBenchmark.Options.DEFAULT_WARMUP;

    @Option(names = "--compute", paramLabel = "tf32|fp32|bf16",
            description = "the compute type, as gemm_bench.c and gemm_torch.py take it (default ${DEFAULT-VALUE})")
    String compute = "tf32";

    @Option(names = "--queue", paramLabel = "stream|xqueue|both", description = "where the GEMMs go (default ${DEFAULT-VALUE})")
    Queues queue = Queues.both;

    BenchGemmCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        return GemmBenchmark.run(options(), out());
    }

    GemmBenchmark.Options options() {
        List<String> queues = queue == Queues.both ? List.of("stream", "xqueue") : List.of(queue.name());
        return validated(() -> new GemmBenchmark.Options(size, iterations, warmup, computeType(), queues));
    }

    private ComputeType computeType() {
        try {
            return ComputeType.valueOf(compute.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compute takes tf32, fp32 or bf16, got '" + compute + "'");
        }
    }
}
