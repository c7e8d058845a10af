package dev.xsched.examples.cli;

import dev.xsched.testsupport.ExternalCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code .mvn/find-jdk.sh}, which {@code ./mvnw} and {@code ./xsched} source to find a JDK 25 on a
 * machine whose default {@code java} is older. Run with POSIX {@code sh}, as they run it, on fake
 * JDK folders (a {@code release} file and executable {@code bin/java}, {@code bin/javac}).
 */
class FindJdkScriptTest {
    private static final Path SCRIPT = Path.of("..", ".mvn", "find-jdk.sh").toAbsolutePath().normalize();

    @Test
    void aJdkWhosePathHasASpaceIsFound(@TempDir Path tmp) throws Exception {
        Path jdk = fakeJdk(tmp.resolve("my jdks/jdk 25"), "25.0.1");
        assertThat(find("XSCHED_JAVA_HOME=" + jdk)).isEqualTo(jdk.toString());
        assertThat(find("JAVA_HOME=" + jdk)).isEqualTo(jdk.toString());
    }

    @Test
    void anOlderJdkNamedFirstIsPassedOver(@TempDir Path tmp) throws Exception {
        Path old = fakeJdk(tmp.resolve("jdk-17"), "17.0.9");
        Path jdk = fakeJdk(tmp.resolve("jdk 26"), "26");
        assertThat(find("XSCHED_JAVA_HOME=" + old, "JAVA_HOME=" + jdk)).isEqualTo(jdk.toString());
    }

    /** Prints the JAVA_HOME the script exports, run under {@code env -i} with {@code variables}. */
    private static String find(String... variables) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "HOME=/nonexistent"));
        command.addAll(List.of(variables));
        command.addAll(List.of("sh", "-c", ". \"$0\" && xsched_find_jdk && printf %s \"$JAVA_HOME\"", SCRIPT.toString()));
        ExternalCommand.Result r = ExternalCommand.run(command, null, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        for (String tool : List.of("java", "javac")) {
            Path file = home.resolve("bin").resolve(tool);
            Files.writeString(file, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }
}
