package dev.xsched.examples.cli;

import dev.xsched.examples.bench.LaunchBenchmark;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code xsched} command: the entry point of the {@code ./xsched} launcher. */
public final class XschedCommand {
    private XschedCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("help") || args.getFirst().equals("--help")) {
            usage(out);
            return args.isEmpty() ? 1 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.getFirst()) {
                case "info" -> new InfoCommand(out).run(rest);
                case "demo" -> dev.xsched.examples.scenario.ScenarioBenchmark.run(rest, out);
                case "chart" -> chart(rest, out);
                case "policies" -> {
                    out.print(dev.xsched.policies.PolicyCatalog.format());
                    yield 0;
                }
                case "example" -> runExample(rest, out, err);
                case "bench" -> bench(rest, out, err);
                default -> {
                    err.println("xsched: unknown command '" + args.getFirst() + "'");
                    usage(err);
                    yield 1;
                }
            };
        } catch (RuntimeException | java.io.IOException e) {
            err.println("xsched " + args.getFirst() + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("xsched " + args.getFirst() + ": interrupted");
            return 2;
        }
    }

    /** Redraws whichever charts the folder has data for: the demo's CDF, the policy benchmarks'. */
    private static int chart(List<String> args, PrintStream out) throws java.io.IOException {
        if (args.size() != 1) {
            out.println("usage: xsched chart DIR");
            return 1;
        }
        java.nio.file.Path folder = java.nio.file.Path.of(args.getFirst());
        if (java.nio.file.Files.exists(folder.resolve("hp-latencies.csv"))) {
            return dev.xsched.examples.scenario.ScenarioBenchmark.chart(args, out);
        }
        return dev.xsched.examples.bench.PolicyCharts.run(args, out);
    }

    private static int runExample(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        String name = args.isEmpty() ? "" : args.getFirst();
        switch (name) {
            case "adoption" -> dev.xsched.examples.adoption.StreamToXQueue.main(new String[0]);
            case "custom-policy" -> dev.xsched.examples.custompolicy.CustomPolicyExample.run(out);
            case "blas" -> {
                return dev.xsched.examples.scenario.BlasScenario.run(args.subList(1, args.size()), out);
            }
            case "adopt-stream" -> {
                return dev.xsched.examples.adoption.ForeignStreamGemm.run(out);
            }
            default -> {
                err.println("xsched example: name one of: adoption, custom-policy, blas, adopt-stream");
                return 1;
            }
        }
        return 0;
    }

    private static int bench(List<String> args, PrintStream out, PrintStream err)
            throws java.io.IOException, InterruptedException {
        String name = args.isEmpty() ? "" : args.getFirst();
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        return switch (name) {
            case "launch" -> LaunchBenchmark.run(rest, out);
            case "policies" -> dev.xsched.examples.bench.PolicyBenchmark.run(rest, out);
            case "preemption" -> dev.xsched.examples.bench.PreemptionBenchmark.run(rest, out);
            case "gemm" -> dev.xsched.examples.bench.GemmBenchmark.run(rest, out);
            default -> {
                err.println("xsched bench: name a benchmark: launch, policies, preemption, gemm");
                usage(err);
                yield 1;
            }
        };
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: xsched COMMAND [OPTIONS]

                commands:
                  demo [OPTIONS]     the scenario: ResNet-18 at 20 req/s beside ResNet-50 at batch 1024, every mode
                                     (native, native-priority, xsched-hpf, ...); 'xsched demo --help' for options
                  bench preemption [--block-ms 0.1,2,20] [--probes N] [--output DIR]
                                     HP wait behind LP kernels of given block lengths, for gating, hardware
                                     priority, both, and sliced launches
                  chart DIR          (re)draws the PNG charts of a 'demo' or 'bench policies' output folder from
                                     its CSV files (for results produced on a host without fonts)
                  info [-v]          the HIP platforms found and not found (with the reason), versions, devices
                  policies           the installed scheduling policies, their descriptions and parameters
                  bench launch [--iterations N] [--warmup N] [--launches N]
                                     launch + synchronize round trip (median, P99) and launch throughput of an
                                     empty kernel on the chosen platform's device 0; a table and a JSON line
                  bench gemm [--size 8192] [--iterations N] [--warmup N] [--compute tf32|fp32|bf16] [--queue stream|xqueue|both]
                                     one cuBLAS/hipBLAS GEMM timed with events, on a stream and through an XQueue
                                     (bench/run-gemm-comparison.sh puts it beside C and torch.matmul)
                  bench policies [--duration S] [--output DIR] [--only partition|fair|deadline]
                                     bandwidth shares (up 75/25), fair sharing (cfs 2:1) and deadlines (kedf)
                                     against native and native stream priorities, with synthetic kernels;
                                     tables, JSON, CSV and PNG ('xsched bench policies --help' for options)
                  example adoption   a program moving from a plain stream to an XQueue
                  example custom-policy
                                     a policy written outside the library, plugged in through the SPI
                  example blas [--size N] [--online resnet18|gemm:N] [--modes M,...]
                                     TF32 GEMMs through cuBLAS as a batch job beside the online ResNet-18, in
                                     modes native, native-priority and xsched-hpf ('--help' for options)
                  example adopt-stream
                                     cuBLAS on a CUDA stream made by another binding, adopted and scheduled
                  help               this text""");
    }
}
