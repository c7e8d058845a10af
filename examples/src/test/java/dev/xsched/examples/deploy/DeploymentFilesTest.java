package dev.xsched.examples.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.xsched.examples.TestOnlyModules;
import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundle's deployment files, checked for what the server needs: the DaemonSet's structure and
 * the settings that make the socket shared and private (its validity against the Kubernetes schema
 * is {@link DaemonSetSchemaTest}'s part); the systemd unit likewise.
 */
class DeploymentFilesTest {
    private static final Path DEPLOY = Path.of("src/bundle/deploy");

    static {
        TestOnlyModules.read(DeploymentFilesTest.class, "com.fasterxml.jackson.dataformat.yaml.YAMLFactory");
    }

    @Test
    void theDaemonSetSharesTheSocketFolderThroughAHostPathAndNothingElse() throws IOException {
        JsonNode d = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("kubernetes/xsched-server-daemonset.yaml").toFile());
        assertThat(d.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(d.path("kind").asText()).isEqualTo("DaemonSet");
        assertThat(d.path("metadata").path("name").asText()).isEqualTo("xsched-server");
        JsonNode template = d.path("spec").path("template");
        assertThat(template.path("metadata").path("labels")).isEqualTo(d.path("spec").path("selector").path("matchLabels"));
        JsonNode pod = template.path("spec");
        assertThat(pod.path("hostNetwork").asBoolean(true)).isFalse();

        JsonNode server = pod.path("containers").get(0);
        List<String> command = new ArrayList<>();
        server.path("command").forEach(n -> command.add(n.asText()));
        assertThat(command).startsWith("/opt/xsched/bin/xsched", "server").contains("--socket", "/run/xsched/xsched.sock");
        assertThat(server.has("ports")).as("no TCP listener").isFalse();
        assertThat(server.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        String uid = server.path("securityContext").path("runAsUser").asText();

        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        JsonNode mount = null;
        for (JsonNode m : server.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/run/xsched")) {
                mount = m;
            }
        }
        assertThat(mount).as("the socket folder is mounted").isNotNull();
        assertThat(volumes.get(mount.path("name").asText()).path("hostPath").path("path").asText()).isEqualTo("/run/xsched");

        JsonNode init = pod.path("initContainers").get(0);
        List<String> prepare = new ArrayList<>();
        init.path("command").forEach(n -> prepare.add(n.asText()));
        assertThat(prepare).containsSequence("-m", "0770").containsSequence("-o", uid).endsWith("/run/xsched");
    }

    @Test
    void systemdAcceptsTheUnitWhereItIsInstalled() throws IOException, InterruptedException {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
        ExternalCommand.Result verify = ExternalCommand.run(List.of(analyze.toString(), "verify",
                DEPLOY.resolve("xsched-server.service").toString()), null, java.time.Duration.ofSeconds(60));
        List<String> complaints = verify.output().lines().filter(l -> !l.isBlank())
                // The bundle is not installed at /opt/xsched on a build machine: the one expected complaint.
                .filter(l -> !l.contains("/opt/xsched/bin/xsched is not executable")).toList();
        assertThat(complaints).as("systemd-analyze verify").isEmpty();
    }

    @Test
    void theSystemdUnitRunsTheServerOnAPrivateRuntimeFolder() throws IOException {
        Map<String, String> unit = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("xsched-server.service"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                unit.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(unit.get("ExecStart")).startsWith("/opt/xsched/bin/xsched server --socket /run/xsched/xsched.sock");
        assertThat(unit).containsEntry("RuntimeDirectory", "xsched").containsEntry("RuntimeDirectoryMode", "0770")
                .containsEntry("RestrictAddressFamilies", "AF_UNIX").containsEntry("User", "xsched")
                .containsEntry("Restart", "on-failure")
                // A JVM stopped by SIGTERM exits 143: without this, every systemctl stop leaves the unit failed.
                .containsEntry("SuccessExitStatus", "143");
    }
}
