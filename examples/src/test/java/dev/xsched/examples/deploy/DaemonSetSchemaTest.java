package dev.xsched.examples.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.gson.JsonParser;
import dev.xsched.examples.TestOnlyModules;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bundle's DaemonSet against Kubernetes's own schema: the models of the official Java client
 * ({@code io.kubernetes:client-java-api}), generated from the Kubernetes OpenAPI specification,
 * validate a manifest's JSON (every field known to its object, the required ones present, the
 * types right, nested objects and lists included). What the server needs of the manifest is
 * {@link DeploymentFilesTest}'s part.
 */
class DaemonSetSchemaTest {
    static {
        TestOnlyModules.read(DaemonSetSchemaTest.class, "com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
                "com.google.gson.JsonParser", "io.kubernetes.client.openapi.models.V1DaemonSet");
    }

    // After the block above: static initializers run in the order written.
    private static final Path DAEMON_SET = Path.of("src/bundle/deploy/kubernetes/xsched-server-daemonset.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDaemonSetIsValidAgainstTheKubernetesSchema() throws IOException {
        JsonNode manifest = YAML.readTree(DAEMON_SET.toFile());
        assertThatCode(() -> validate(manifest)).doesNotThrowAnyException();
    }

    @Test
    void aMisspelledFieldDeepInThePodIsCaught() throws IOException {
        ObjectNode manifest = (ObjectNode) YAML.readTree(DAEMON_SET.toFile());
        ObjectNode container = (ObjectNode) manifest.at("/spec/template/spec/containers/0");
        container.set("volumeMount", container.get("volumeMounts"));   // the singular, a common slip
        container.remove("volumeMounts");
        assertThatThrownBy(() -> validate(manifest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`volumeMount`").hasMessageContaining("V1Container");
    }

    @Test
    void aMissingRequiredFieldIsCaught() throws IOException {
        ObjectNode manifest = (ObjectNode) YAML.readTree(DAEMON_SET.toFile());
        ArrayNode containers = (ArrayNode) manifest.at("/spec/template/spec/containers");
        ((ObjectNode) containers.get(0)).remove("name");   // a container's name is required
        assertThatThrownBy(() -> validate(manifest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required field `name`");
    }

    /** Throws IllegalArgumentException, naming the field, where the manifest breaks the schema. */
    private static void validate(JsonNode manifest) throws IOException {
        V1DaemonSet.validateJsonElement(JsonParser.parseString(JSON.writeValueAsString(manifest)));
    }
}
