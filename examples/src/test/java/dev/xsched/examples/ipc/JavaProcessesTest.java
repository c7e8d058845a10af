package dev.xsched.examples.ipc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JavaProcessesTest {
    @Test
    void theChildGetsTheVariablesGivenOnTopOfThisProcessesEnvironment() {
        ProcessBuilder builder = JavaProcesses.builder(JavaProcesses.class, List.of("a", "b"),
                Map.of("CUDA_MPS_CLIENT_PRIORITY", "1"));
        Map<String, String> expected = new java.util.HashMap<>(System.getenv());
        expected.put("CUDA_MPS_CLIENT_PRIORITY", "1");
        assertThat(builder.environment()).isEqualTo(expected);
        List<String> command = builder.command();
        // "-m module/class" when run as a module, else "-cp ... class": either way the class, then the arguments
        assertThat(command.get(command.size() - 3)).endsWith(JavaProcesses.class.getName());
        assertThat(command.subList(command.size() - 2, command.size())).containsExactly("a", "b");
    }

    @Test
    void aVariableGivenReplacesAnInheritedOne() {
        String name = System.getenv().keySet().iterator().next();
        ProcessBuilder builder = JavaProcesses.builder(JavaProcesses.class, List.of(), Map.of(name, "replaced"));
        assertThat(builder.environment()).containsEntry(name, "replaced").hasSameSizeAs(System.getenv());
    }
}
