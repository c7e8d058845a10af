package dev.xsched.ipc.client;

import dev.xsched.core.coordination.StopWordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The names of stop-word files: those this process makes, and the only ones it stores into. */
class StopWordFilesTest {
    @Test
    void onlyFilesNamedAsStopWordFilesOfThisUserInItsFolderAreStoredInto() {
        Path shm = Path.of("/dev/shm");
        assertThat(StopWordFiles.isStopWordFile(Path.of("/dev/shm/xsched-1000-4242-stop"), shm, 1000)).isTrue();
        assertThat(StopWordFiles.isStopWordFile(Path.of("/dev/shm/xsched-1000-17-stop-2"), shm, 1000)).isTrue();
        for (String other : new String[] {"/home/u/.bashrc", "/dev/shm/xsched-1000-4242-stop.bak", "/dev/shm/xsched-u-1-stop",
                "/dev/shm/xsched-1000-4242-stop-", "/dev/shm/xsched-1000-stop", "/", "/tmp/xsched-1000-17-stop",
                "/dev/shm/sub/xsched-1000-17-stop", "/dev/shm/sub/../../tmp/xsched-1000-17-stop",
                "/dev/shm/xsched-1001-17-stop"}) {
            assertThat(StopWordFiles.isStopWordFile(Path.of(other), shm, 1000)).as(other).isFalse();
        }
        assertThat(StopWordFiles.isStopWordFile(StopWordFile.defaultPath())).as("this process's own").isTrue();
    }

    @Test
    void eachFileOfTheProcessGetsANameOfItsOwnBesideTheDefault() {
        try (StopWordFile first = StopWordFiles.create(); StopWordFile second = StopWordFiles.create()) {
            assertThat(first.path()).isNotEqualTo(second.path());
            for (Path path : new Path[] {first.path(), second.path()}) {
                assertThat(path).isAbsolute().exists().hasParent(StopWordFile.defaultPath().toAbsolutePath().getParent());
                assertThat(StopWordFiles.isStopWordFile(path)).isTrue();
                assertThat(path.getFileName().toString()).startsWith(StopWordFile.defaultPath().getFileName().toString());
            }
        }
    }

    @Test
    void theFilesOfDeadProcessesOfThisUserAreSweptAndNoOthers(@TempDir Path folder) throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path stale = Files.createFile(folder.resolve("xsched-1000-" + dead + "-stop"));
        Path staleSecond = Files.createFile(folder.resolve("xsched-1000-" + dead + "-stop-2"));
        Path live = Files.createFile(folder.resolve("xsched-1000-" + alive + "-stop"));
        Path otherUser = Files.createFile(folder.resolve("xsched-1001-" + dead + "-stop"));
        Path unrelated = Files.createFile(folder.resolve("xsched-1000-" + dead + "-stop.bak"));

        StopWordFiles.sweepDead(folder, 1000);

        assertThat(stale).doesNotExist();
        assertThat(staleSecond).doesNotExist();
        assertThat(live).as("its process is alive").exists();
        assertThat(otherUser).as("another user's").exists();
        assertThat(unrelated).as("not named as a stop-word file").exists();
        StopWordFiles.sweepDead(folder.resolve("missing"), 1000); // housekeeping never throws
    }

    /** A pid no process has: one of a child that has exited and been reaped. */
    private static long deadPid() throws Exception {
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        long pid = child.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return pid;
    }
}
