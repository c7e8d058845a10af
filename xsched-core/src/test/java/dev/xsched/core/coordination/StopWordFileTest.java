package dev.xsched.core.coordination;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared stop words without a GPU: the file, its words, and a raiser mapping it separately. */
class StopWordFileTest {
    @TempDir
    Path folder;

    @Test
    void theFileIsTheOwnersAloneAndGoesAwayWithIt() throws Exception {
        Path path = folder.resolve("stop");
        StopWordFile file = StopWordFile.create(path);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(Files.size(path)).isEqualTo(StopWordFile.WORDS * 4L);
        assertThatThrownBy(() -> StopWordFile.create(path)).as("never someone else's file")
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(path.toString());
        assertThat(path).as("and the file in the way is left alone").exists();
        file.close();
        file.close();
        assertThat(path).doesNotExist();
        assertThatThrownBy(file::allocate).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void wordsAreHandedOutOnceAndComeBackWhenClosed() {
        try (StopWordFile file = StopWordFile.create(folder.resolve("stop"))) {
            List<StopWord> words = new ArrayList<>();
            for (int i = 0; i < StopWordFile.WORDS; i++) {
                words.add(file.allocate());
            }
            assertThat(words).extracting(StopWord::offset).doesNotHaveDuplicates().allMatch(o -> o % 4 == 0);
            assertThatThrownBy(file::allocate).isInstanceOf(IllegalStateException.class).hasMessageContaining("taken");
            StopWord back = words.get(17);
            back.close();
            back.close();
            assertThat(file.allocate().offset()).isEqualTo(back.offset());
        }
    }

    @Test
    void closingWhenFreeWaitsForTheLastWordAndHandsOutNoMore() {
        Path path = folder.resolve("stop");
        StopWordFile file = StopWordFile.create(path);
        StopWord first = file.allocate();
        StopWord second = file.allocate();
        file.closeWhenFree();
        assertThatThrownBy(file::allocate).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        first.close();
        assertThat(path).as("a word is still out: its queue's stream may still wait on the file").exists();
        assertThat(second.value()).isZero();
        second.close();
        assertThat(path).as("the last word back closes it").doesNotExist();
        file.closeWhenFree();
        file.close();

        StopWordFile unused = StopWordFile.create(path);
        unused.closeWhenFree();
        assertThat(path).as("with no word out it closes at once").doesNotExist();
    }

    @Test
    void aRaiserWithItsOwnMappingAdvancesTheWordTheOwnerReads() throws Exception {
        try (StopWordFile file = StopWordFile.create(folder.resolve("stop")); StopWordRaiser raiser = new StopWordRaiser()) {
            StopWord word = file.allocate();
            StopWord neighbour = file.allocate();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < 10_000; i++) {
                        raiser.raise(word.path(), word.offset());
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(word.value()).as("atomic adds: none lost").isEqualTo(40_000);
            assertThat(neighbour.value()).isZero();
            assertThat(word.advance()).isEqualTo(40_001);
        }
    }

    @Test
    void aRaiserRefusesWhatIsNotAStopWord() throws Exception {
        try (StopWordRaiser raiser = new StopWordRaiser()) {
            Path missing = folder.resolve("gone");
            assertThatThrownBy(() -> raiser.raise(missing, 0)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(missing.toString());
            Path small = Files.write(folder.resolve("small"), new byte[16]);
            assertThatThrownBy(() -> raiser.raise(small, 0)).isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseMessage("the file holds 16 bytes, not a stop-word file's " + StopWordFile.WORDS * 4);
            Path big = Files.write(folder.resolve("big"), new byte[StopWordFile.WORDS * 8]);
            assertThatThrownBy(() -> raiser.raise(big, 0)).isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseMessage("the file holds " + StopWordFile.WORDS * 8 + " bytes, not a stop-word file's "
                            + StopWordFile.WORDS * 4);
            try (StopWordFile real = StopWordFile.create(folder.resolve("real"))) {
                Path link = Files.createSymbolicLink(folder.resolve("xsched-0-1-stop"), real.path());
                assertThatThrownBy(() -> raiser.raise(link, 0)).as("never through a symbolic link")
                        .isInstanceOf(UncheckedIOException.class);
                assertThat(real.allocate().value()).isZero();
            }
            Path directory = Files.createDirectory(folder.resolve("dir"));
            assertThatThrownBy(() -> raiser.raise(directory, 0)).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> raiser.raise(small, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> raiser.raise(small, -4)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> raiser.raise(small, StopWordFile.WORDS * 4L)).isInstanceOf(IllegalArgumentException.class);
        }
        StopWordRaiser closed = new StopWordRaiser();
        closed.close();
        assertThatThrownBy(() -> closed.raise(folder.resolve("x"), 0)).isInstanceOf(IllegalStateException.class);
    }
}
