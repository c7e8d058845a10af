package dev.xsched.examples.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether an MPS control daemon (NVIDIA's {@code nvidia-cuda-mps-control -d}) is likely to serve the
 * CUDA processes started with an environment, as its pipe folder says (a pipe left behind by a
 * daemon that was killed looks the same, hence "likely"): the daemon makes a named pipe
 * {@code control} in {@code CUDA_MPS_PIPE_DIRECTORY} (default {@code /tmp/nvidia-mps}), where its
 * clients look for it. Two processes on one NVIDIA GPU without MPS time-slice between their
 * contexts, and an online request then waits for the switch (1.03 ms at the mean on an H200,
 * against 0.15 ms under MPS; docs/multiprocess.md), so the two-process demo says which it is.
 *
 * @param pipeDirectory where the clients look for the daemon
 * @param running       whether its control pipe is there
 */
public record MpsControl(Path pipeDirectory, boolean running) {
    /** The variable that moves the daemon's pipes, read by the daemon and by its clients alike. */
    public static final String PIPE_DIRECTORY_VARIABLE = "CUDA_MPS_PIPE_DIRECTORY";

    /** The pipe folder when that variable is not set. */
    public static final Path DEFAULT_PIPE_DIRECTORY = Path.of("/tmp/nvidia-mps");

    /** As the processes started with {@code environment} would find it. */
    public static MpsControl find(Map<String, String> environment) {
        String set = environment.get(PIPE_DIRECTORY_VARIABLE);
        Path directory = set == null || set.isBlank() ? DEFAULT_PIPE_DIRECTORY : Path.of(set);
        return new MpsControl(directory, Files.exists(directory.resolve("control")));
    }

    /** One line for the demo's output. */
    public String note() {
        return running
                ? "MPS: a control pipe is at " + pipeDirectory.resolve("control") + ", so an MPS daemon is likely to serve "
                        + "the processes and their kernels to share the GPU's SMs as in one process (a pipe left by a daemon "
                        + "that was killed looks the same)"
                : "MPS: no control pipe at " + pipeDirectory + " (" + PIPE_DIRECTORY_VARIABLE + "): the GPU time-slices "
                        + "between the two processes' contexts and an online request can wait for a context switch "
                        + "(1.03 ms against 0.15 ms under MPS on an H200); nvidia-cuda-mps-control -d starts a daemon";
    }
}
