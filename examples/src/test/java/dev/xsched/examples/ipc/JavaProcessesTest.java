package dev.xsched.examples.ipc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

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

    @Test
    void theChildTakesTheProjectsPropertiesTheHeapTheCollectorAndTheJitThresholdAndNothingElse() {
        Properties properties = new Properties();
        properties.setProperty("xsched.resnet.yieldablePool", "false");
        properties.setProperty("xsched.scenario.hpThreshold", "32 ");
        properties.setProperty("java.home", "/elsewhere");
        List<String> options = JavaProcesses.forwardedOptions(properties, List.of("-Xmx8g", "-Xms1g", "-XX:+UseZGC",
                "-XX:-UseG1GC", "-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-XX:MaxRAMPercentage=50",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-XX:StartFlightRecording=filename=a.jfr",
                "-Xlog:gc:file=gc.log", "-XX:+UseLargePages", "-Dxsched.resnet.yieldablePool=false",
                "--enable-native-access=ALL-UNNAMED", "-XX:CompileThresholdScaling=0.05", "-XX:CICompilerCount=2",
                "-XX:CompileThresholdScaling=1"));
        // The launcher's early JIT for the demo, then a user's own value from XSCHED_JAVA_OPTS: the last wins in the child too.
        assertThat(options).containsExactly("-Xmx8g", "-Xms1g", "-XX:+UseZGC", "-XX:-UseG1GC", "-XX:+UnlockExperimentalVMOptions",
                "-XX:+UseEpsilonGC", "-XX:MaxRAMPercentage=50", "-XX:CompileThresholdScaling=0.05",
                "-XX:CompileThresholdScaling=1", "-Dxsched.resnet.yieldablePool=false", "-Dxsched.scenario.hpThreshold=32 ");
    }

    @Test
    void theChildsCommandCarriesThisJvmsProjectProperties() {
        String name = "xsched.test.javaProcesses";
        String before = System.getProperty(name);
        System.setProperty(name, "forwarded");
        try {
            List<String> command = JavaProcesses.builder(JavaProcesses.class, List.of(), Map.of()).command();
            int option = command.indexOf("-D" + name + "=forwarded");
            assertThat(option).as("the property in " + command).isPositive();
            // a JVM option: before the module path or class path that precedes the main class
            int paths = command.contains("-p") ? command.indexOf("-p") : command.indexOf("-cp");
            assertThat(paths).isPositive();
            assertThat(option).isLessThan(paths);
        } finally {
            if (before == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, before);
            }
        }
    }
}
