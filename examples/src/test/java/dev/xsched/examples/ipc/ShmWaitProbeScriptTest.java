package dev.xsched.examples.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/device/shm_wait_probe.py as far as it runs without a GPU: its options, its refusal without
 * torch, and its storer (with {@code --raise store}, the side that never touches CUDA) against a
 * stand-in for the device: a Python loop that acknowledges each store, as the armed stream does on
 * the GPU host.
 */
class ShmWaitProbeScriptTest {
    private static final Path SCRIPT = Path.of("..", "docs", "device", "shm_wait_probe.py");

    @BeforeAll
    static void python() throws InterruptedException {
        assertThat(SCRIPT).as("the script, from the examples module's directory").isRegularFile();
        assumeTrue(ExternalCommand.python3Works(), "python3 is not installed here");
    }

    @Test
    void helpNamesItsOptionsAndBadOnesAreRefused() throws InterruptedException {
        ExternalCommand.Result help = run(SCRIPT.toString(), "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("--rounds", "--ack", "front-end", "kernel", "--raise", "store", "ipc", "--output");
        ExternalCommand.Result rounds = run(SCRIPT.toString(), "--rounds", "0");
        assertThat(rounds.exitCode()).isEqualTo(2);
        assertThat(rounds.output()).contains("--rounds must be at least 1");
        ExternalCommand.Result ack = run(SCRIPT.toString(), "--ack", "copy");
        assertThat(ack.exitCode()).isEqualTo(2);
        ExternalCommand.Result ipc = run(SCRIPT.toString(), "--raise", "ipc", "--ack", "front-end");
        assertThat(ipc.exitCode()).isEqualTo(2);
        assertThat(ipc.output()).contains("--raise ipc", "needs --ack kernel");
    }

    @Test
    void withoutTorchTheWaitingSideSaysWhatIsMissing() throws InterruptedException {
        assumeTrue(run("-c", "import torch").exitCode() != 0, "torch is installed here");
        ExternalCommand.Result r = run(SCRIPT.toString(), "--rounds", "1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("needs torch");
    }

    @Test
    void theStorerTimesEachRoundFromItsStoreToTheAcknowledgement(@TempDir Path dir) throws Exception {
        // The stand-in arms each round, waits for the store, acknowledges it: what the GPU does on the host.
        String standIn = """
                import json, mmap, os, subprocess, sys
                sys.path.insert(0, sys.argv[1])
                import shm_wait_probe as p
                path = sys.argv[2]
                with open(path, "wb") as f:
                    f.write(bytes(p.PAGE))
                buffer = mmap.mmap(os.open(path, os.O_RDWR), p.PAGE)
                store, ack, armed, done = (p.word(buffer, i) for i in (p.STORE, p.ACK, p.ARMED, p.DONE))
                child = subprocess.Popen([sys.executable, p.__file__, "--storer", path, "--rounds", "40"],
                                         stdout=subprocess.PIPE, text=True)
                for epoch in range(1, 41):
                    armed.value = epoch
                    while store.value < epoch:
                        pass
                    ack.value = epoch
                out, _ = child.communicate(timeout=30)
                result = json.loads(out)
                summary = p.percentiles(result["latencies_us"])
                summary["not_started"] = result["rounds_grid_not_started"]
                print("exit", child.returncode, "done", done.value, json.dumps(summary, sort_keys=True))
                """;
        ExternalCommand.Result r = run("-c", standIn, SCRIPT.getParent().toAbsolutePath().toString(),
                dir.resolve("words").toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("exit 0 done 1").contains("\"n\": 40");
        JsonNode summary = new ObjectMapper().readTree(r.output().substring(r.output().indexOf('{')));
        assertThat(summary.get("n").asInt()).isEqualTo(40);
        assertThat(summary.get("p50_us").asDouble()).isPositive().isLessThanOrEqualTo(summary.get("p99_us").asDouble());
        assertThat(summary.get("p99_us").asDouble()).isLessThanOrEqualTo(summary.get("max_us").asDouble());
        assertThat(summary.get("not_started").asInt()).as("no grid to wait for with --ack front-end").isZero();
    }

    private static ExternalCommand.Result run(String... args) throws InterruptedException {
        return ExternalCommand.python3(Duration.ofSeconds(60), args);
    }
}
