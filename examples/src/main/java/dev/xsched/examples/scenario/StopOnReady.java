package dev.xsched.examples.scenario;

import dev.xsched.core.XQueue;
import dev.xsched.core.coordination.StopWord;
import dev.xsched.core.coordination.StopWordFile;
import dev.xsched.examples.config.BooleanProperty;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's online queue stops the batch queue's kernels itself, the moment it turns ready: the
 * batch queue waits on a stop word of this process ({@link XQueue#armRemoteStop}), and the online
 * queue's action on turning ready ({@link XQueue#onTurningReady}) advances the word, a plain store
 * that the stream waiting on it turns into the batch queue's stop flag on the device. It is the
 * cross-process stop of {@code --processes 2}, used within one process.
 *
 * <p>Why: the decision round that the online request's submitting thread runs before its first
 * kernel took 89 us at the median on an H100's host (round 41, under JFR: reading the states 12,
 * deciding 12.5, applying 61, of which the flag's copy 22), and the batch kernels ran on until its
 * copy reached the device; on a plain stream the same request's first call takes 4-28 us. With
 * the store the batch kernels stop whatever the host does next, and the round finds the flag up
 * (no copy). With {@code --decide-on-submit off} the round moves to the scheduling thread, and the
 * online request's first kernel waits for nothing but the store.
 *
 * <p>Only under HPF, where the store is what the policy decides anyway: while the online queue
 * (the greater priority) has work, the batch queue is suspended, whatever else happens. The
 * scheduler's round that follows suspends it (the flag is already up); when the online queue
 * goes idle, the round that resumes the batch queue lowers the flag and arms the wait again.
 * Where the batch queue's stream cannot wait on host memory (AMD), nothing is armed and the demo
 * says so. Off with {@code -Dxsched.scenario.stopOnReady=false}.
 *
 * <p>Only in the demo's one process ({@code ScenarioBenchmark}), whose kernels all go through
 * hip-ffm: a wait pending on the word holds up driver calls that wait for the whole context, which
 * hip-ffm's own calls step around ({@link XQueue#armRemoteStop}) and another library's (cuBLAS in
 * {@code xsched example blas}) would not. Two processes stop the batch kernels with the scheduler
 * server's raise lists instead.
 */
final class StopOnReady implements AutoCloseable {
    static final String PROPERTY = "xsched.scenario.stopOnReady";
    /** Each arm's file gets a name of its own: a mode's file is deleted only once its batch queue closed. */
    private static final AtomicInteger FILES = new AtomicInteger();

    private final XQueue online;
    private final StopWordFile file;

    private StopOnReady(XQueue online, StopWordFile file) {
        this.online = online;
        this.file = file;
    }

    /**
     * Whether the demo arms the stop: on unless the property says {@code false}.
     *
     * @throws IllegalArgumentException if the property is set to neither {@code true} nor {@code false}
     */
    static boolean enabled() {
        return BooleanProperty.read(PROPERTY, true);
    }

    /** Where this process's next file goes: beside the cross-process stop's own file, named apart from it. */
    static Path nextPath() {
        Path shared = StopWordFile.defaultPath();
        return shared.resolveSibling(shared.getFileName() + "-demo-" + FILES.incrementAndGet());
    }

    /**
     * Arms {@code batch} with a word of a new file at {@code path} and has {@code online}'s turning
     * ready advance it.
     *
     * @return the stop, to close once the online model stopped submitting; empty where the batch
     *         queue's stream cannot wait on host memory (nothing is left armed or created then)
     * @throws java.io.UncheckedIOException if the file cannot be created (it exists, or there is
     *                                      no room): nothing is armed
     */
    static Optional<StopOnReady> arm(XQueue online, XQueue batch, Path path) {
        StopWordFile file = StopWordFile.create(path);
        StopWord word;
        try {
            word = file.allocate();
            batch.armRemoteStop(word); // the batch queue owns the word from here on, and gives it back when it closes
        } catch (UnsupportedOperationException e) {
            file.close();
            return Optional.empty();
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        online.onTurningReady(word::advance);
        // Deleted once the batch queue gave its word back (its close ends the wait on the file).
        file.closeWhenFree();
        return Optional.of(new StopOnReady(online, file));
    }

    /** What the demo's output says of a mode run with it, one line. */
    static String note() {
        return "the online queue stops the batch queue's kernels itself when it turns ready: a store into the batch"
                + " queue's stop word, which its stream waiting on the word turns into the stop flag (" + PROPERTY
                + "; HPF only)";
    }

    /** What the demo's output says where the device cannot, one line. */
    static String unsupportedNote() {
        return "the online queue's stop on turning ready is off: the batch queue's stream cannot wait on host memory"
                + " on this platform (" + PROPERTY + ")";
    }

    /** The file, for tests. */
    Path path() {
        return file.path();
    }

    /** The online queue stores no more (call once its thread stopped submitting); the file goes with the batch queue's word. */
    @Override
    public void close() {
        online.onTurningReady(null);
    }
}
