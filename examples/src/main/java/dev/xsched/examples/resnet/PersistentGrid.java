package dev.xsched.examples.resnet;

import dev.xsched.examples.config.BooleanProperty;
import dev.xsched.hip.Dim3;
import dev.xsched.hip.LaunchConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Persistent grids for the batch model's yieldable kernels: the TF32 convolutions and the max
 * pool launched with as many blocks as the GPU holds at once, each block taking the kernel's
 * logical blocks (tiles) in turn ({@code conv2d_tf32_*_persist}, {@code max_pool2d_persist}).
 *
 * <p>Why: a yieldable kernel launched with one block per tile still has every block it had not
 * started dispatched after a suspend raises its flag, each reading the flag and leaving; at batch
 * 1024 a convolution has 6,000-25,000 such blocks and the max pool 800,000, and on the H200 such
 * exiting blocks delayed a small online kernel of another process by about 11 us at the median
 * (docs/multiprocess.md, round 18 d). A persistent grid's blocks are all running, so the kernel
 * ends once they reach a check.
 *
 * <p>The grid is the SMs times the blocks per SM that the kernel's launch bounds guarantee (two
 * for the 128-channel and narrow TF32 tiles, three for the small one), never more than the
 * logical blocks. For the max pool it is eight 256-thread blocks, the most an SM of compute
 * capability 8.0 or 9.0 holds, which its launch bounds do not guarantee (it would need at most 32
 * registers a thread); a device query of the occupancy would be the better measure. Never on a
 * simulated device: its cost model charges a duration per launched block and would see a
 * persistent grid as a few blocks' work.
 *
 * <p>How the tiles are assigned to the blocks, {@link ResNetKernels#PERSIST_DYNAMIC_PROPERTY}
 * decides when the source is compiled. Dynamic (the default): each block claims its next tile from
 * a counter of the launch's own (an int that {@link ResNet#forwardYieldable} zeroes before each
 * forward pass; the twins take it in either mode), so a block that starts late finds fewer tiles
 * left and the blocks end together; the max pool's grid can then stay at eight blocks per SM even
 * where fewer are resident. A block stopped in a tile redoes it when relaunched. Static: block b
 * takes tiles b, b + grid, ..., so a block that cannot be resident at the launch runs its whole
 * share late (fewer blocks than fit would cost throughput instead), and at the end of a kernel the
 * blocks whose shares are a tile shorter, or cheaper, wait for the others. On the H200 (round 24,
 * 2026-12-03, one lease, ResNet-50 b1024 through a never-suspended XQueue): 95.2% of the plain
 * kernels' rate dynamic against 93.2% static; beside the online model ({@code xsched-hpf}, 180 s)
 * the batch job ran at 6.956 it/s dynamic, 92.1% of its 7.556 alone in the same lease, against
 * 6.767-6.811 static on other leases (89.6-89.7% of 7.550-7.594). Against the faster plain kernels
 * of round 25 (round 26, 2026-12-04, one lease): 92.3% dynamic, 90.3% static; the one-tile-per-block
 * twins 95.7% on another lease. Claiming several tiles at a time, or the next tile ahead, was
 * slower (docs/results.md, round 26). With the 128 x 128 kernels compiled once per kind of input
 * load ({@link ConvLoads}; round 29, 2026-12-04): 95.1% dynamic, the one-tile twins 98.0%.
 *
 * <p>Off where {@link ResNet#build} is not told (its property's default); on by default in
 * {@code xsched demo} ({@code --persistent-grids}), where with deciding on the submitting thread
 * it measured best on the H200 (round 23, 2026-12-03, 180 s: the online model's P50/P99/P99.9
 * 1.63/1.89/3.90 ms against 1.73/2.07/4.26 with neither, at 3.6% of the batch job;
 * {@code DemoTuning}). Alone it had gained little (round 20, docs/multiprocess.md): the
 * persistent twins run ResNet-50 b1024 at 93.3% of the plain kernels' rate through a
 * never-suspended XQueue, against 96.8% for the one-tile-per-block twins; beside the online model
 * ({@code xsched-hpf}, 60 s each) they shortened its GPU span in one process (1.69 to 1.63 ms on
 * average, P99 latency 1.96 ms either way) at 3.5% of the batch job, and lengthened it in two
 * processes under MPS (1.95 to 2.03 ms). The not-started blocks of a yielded kernel are not
 * what keeps two processes behind one. A kernel timeline (round 22, docs/results.md) showed why
 * one process gained little: with persistent grids the online model's kernels ran as if alone,
 * but its first kernel waited for the batch blocks to reach a check, and the flag that makes
 * them stop came about 0.3 ms after the request (the scheduling thread's wake-up and round);
 * deciding on the submitting thread ({@code XScheduler.Builder#decideOnSubmit}) with persistent
 * grids brought the median latency from 1.79 to 1.67 ms in 30 s runs.
 */
public final class PersistentGrid {
    /**
     * The system property that launches the batch model's yieldable kernels as persistent grids
     * where they have such a twin ({@code true} or {@code false}, default false; {@code xsched demo}
     * takes it where {@code --persistent-grids} is not given, and is on in one process where neither is).
     */
    public static final String PROPERTY = "xsched.resnet.persistentYield";

    /** The persistent twin of each kernel that has one, and the blocks per SM it is launched for. */
    private static final Map<String, Twin> TWINS = twins();

    /**
     * A kernel's persistent twin.
     *
     * @param kernel          the twin's name (the yieldable kernel's arguments, then its tile counter)
     * @param blocksPerUnit   blocks of it that one SM (CU) holds at once, by its launch bounds (the max pool: assumed)
     */
    public record Twin(String kernel, int blocksPerUnit) {
        public Twin {
            Objects.requireNonNull(kernel, "kernel");
            Checks.positive("blocksPerUnit", blocksPerUnit);
        }
    }

    private PersistentGrid() {
    }

    private static Map<String, Twin> twins() {
        Map<String, Twin> twins = new HashMap<>();
        // The TF32 tiles with the blocks per SM of their launch bounds, each kernel's twin its name + _persist.
        Map<ConvTiling, Integer> blocksPerUnit = Map.of(ConvTiling.LARGE, 2, ConvTiling.NARROW, 2, ConvTiling.SMALL, 3);
        blocksPerUnit.forEach((tiling, blocks) -> {
            twins.put(tiling.kernelName(ConvPrecision.TF32), new Twin(tiling.persistKernelName(), blocks));
            for (String plain : tiling.kernelNamesByLoads(ConvPrecision.TF32)) {
                twins.put(plain, new Twin(plain + "_persist", blocks));
            }
        });
        twins.put(ResNetKernels.MAX_POOL, new Twin(ResNetKernels.MAX_POOL_PERSIST, 8));
        return Map.copyOf(twins);
    }

    /**
     * Whether the system property {@value #PROPERTY} asks for persistent grids.
     *
     * @throws IllegalArgumentException if it is set to neither {@code true} nor {@code false}
     */
    public static boolean requested() {
        return BooleanProperty.read(PROPERTY, false);
    }

    /**
     * Whether persistent grids are used: {@code requested}, and on a real device.
     *
     * @param requested       whether they were asked for (an option, or {@link #requested()})
     * @param simulatedDevice whether the device is simulated, where they never are
     */
    public static boolean used(boolean requested, boolean simulatedDevice) {
        return requested && !simulatedDevice;
    }

    /** The persistent twin of {@code kernel} (a plain kernel's name), if it has one. */
    public static Optional<Twin> twinOf(String kernel) {
        return Optional.ofNullable(TWINS.get(kernel));
    }

    /**
     * The persistent launch of a one-dimensional grid: {@code computeUnits * blocksPerUnit}
     * blocks, or the grid's own when that is fewer; the same block.
     *
     * @throws IllegalArgumentException if the grid is not one-dimensional or a count is not positive
     */
    public static LaunchConfig config(LaunchConfig logical, int computeUnits, int blocksPerUnit) {
        Objects.requireNonNull(logical, "logical");
        Checks.positive("computeUnits", computeUnits);
        Checks.positive("blocksPerUnit", blocksPerUnit);
        Dim3 grid = logical.grid();
        if (grid.y() != 1 || grid.z() != 1) {
            throw new IllegalArgumentException("a persistent grid takes a one-dimensional grid, got " + grid);
        }
        long resident = (long) computeUnits * blocksPerUnit;
        return resident >= grid.x() ? logical : new LaunchConfig(Dim3.of((int) resident), logical.block(), logical.sharedMemoryBytes());
    }
}
