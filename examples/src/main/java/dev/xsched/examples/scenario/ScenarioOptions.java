package dev.xsched.examples.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Options of the scenario benchmark ({@code xsched demo}).
 *
 * @param rate        high-priority requests per second (ResNet-18, batch 1), open loop
 * @param lpBatch     batch of the low-priority ResNet-50, back to back
 * @param seconds     measured seconds per mode
 * @param warmup      unmeasured seconds before each mode
 * @param modes       the modes to run, in order
 * @param threshold   in-flight threshold of the low-priority XQueue
 * @param batchSize   sync-point batch of the low-priority XQueue
 * @param hwPriority  whether scheduled modes also put the HP queue on the device's highest stream priority
 * @param slice       scheduled modes: how the LP convolutions are made preemptible: sliced ("auto" or
 *                    blocks per slice), "off", or "yield" (whole, through their yieldable variants)
 * @param output      folder for results.json and latency-cdf.png
 */
record ScenarioOptions(double rate, int lpBatch, double seconds, double warmup, List<String> modes, int threshold,
                       int batchSize, boolean hwPriority, String slice, Path output) {
    static final List<String> DEFAULT_MODES = List.of("standalone-hp", "standalone-lp", "native", "native-priority", "xsched-hpf");

    static String usage() {
        return """
                usage: xsched demo [OPTIONS]
                  ResNet-18 (batch 1) at a fixed request rate, open loop, beside ResNet-50 at a large batch back to back,
                  under each mode; prints a table and writes results.json and latency-cdf.png.
                options:
                  --rate R            high-priority requests per second (default 20)
                  --batch B           low-priority ResNet-50 batch (default 1024, or the largest that fits)
                  --duration S        measured seconds per mode (default 30)
                  --warmup S          unmeasured seconds before each mode (default 3)
                  --modes M,M,...     standalone-hp, standalone-lp, native, native-priority, xsched-<policy>
                                      (default: standalone-hp,standalone-lp,native,native-priority,xsched-hpf)
                  --policy P          add the mode xsched-P
                  --threshold N       in-flight threshold of the low-priority XQueue (default 2)
                  --batch-size N      commands per sync point of the low-priority XQueue (default 1)
                  --hw-priority on|off  scheduled modes also use hardware stream priorities (default on)
                  --slice yield|auto|off|K  how scheduled modes make the LP convolutions preemptible:
                                      yield = whole but yieldable, a suspend stops their blocks at the
                                      next check (cooperative yield); K = in slices of K blocks, a
                                      suspend takes effect after the current slices; auto = slices of
                                      2 x compute units; off = neither. Default: yield (the simulator
                                      models it too)
                  --output DIR        where results go (default results/<timestamp>)""";
    }

    static ScenarioOptions parse(List<String> args) {
        double rate = 20;
        int batch = 1024;
        double seconds = 30;
        double warmup = 3;
        List<String> modes = new ArrayList<>(DEFAULT_MODES);
        List<String> extraPolicies = new ArrayList<>();
        int threshold = 2;
        int batchSize = 1;
        boolean hw = true;
        String slice = "yield";
        Path output = Path.of("results", java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-'));
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + name + " needs a value\n" + usage());
            }
            String value = args.get(++i);
            switch (name) {
                case "--rate" -> rate = positive(name, Double.parseDouble(value));
                case "--batch" -> batch = (int) positive(name, Integer.parseInt(value));
                case "--duration" -> seconds = positive(name, Double.parseDouble(value));
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--modes" -> modes = List.of(value.toLowerCase(Locale.ROOT).split(","));
                case "--policy" -> extraPolicies.add("xsched-" + value.toLowerCase(Locale.ROOT));
                case "--threshold" -> threshold = (int) positive(name, Integer.parseInt(value));
                case "--batch-size" -> batchSize = (int) positive(name, Integer.parseInt(value));
                case "--hw-priority" -> hw = switch (value) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--hw-priority takes on or off, got " + value);
                };
                case "--slice" -> {
                    if (!List.of("auto", "off", "yield").contains(value)) {
                        try {
                            positive(name, Integer.parseInt(value));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--slice takes yield, auto, off or a block count, got " + value);
                        }
                    }
                    slice = value;
                }
                case "--output" -> output = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + usage());
            }
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0");
        }
        if (batchSize > threshold) {
            throw new IllegalArgumentException("--batch-size must be <= --threshold");
        }
        List<String> all = new ArrayList<>(modes);
        extraPolicies.stream().filter(m -> !all.contains(m)).forEach(all::add);
        for (String mode : all) {
            if (!List.of("standalone-hp", "standalone-lp", "native", "native-priority").contains(mode) && !mode.startsWith("xsched-")) {
                throw new IllegalArgumentException("unknown mode '" + mode + "'\n" + usage());
            }
        }
        return new ScenarioOptions(rate, batch, seconds, warmup, List.copyOf(all), threshold, batchSize, hw, slice, output);
    }

    private static double positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }
}
