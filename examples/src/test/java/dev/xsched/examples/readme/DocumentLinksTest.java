package dev.xsched.examples.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The documents stand on the repository alone: every relative link resolves to a file inside it. */
class DocumentLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkOfEveryDocumentPointsInsideTheRepository() throws IOException {
        Path root = ReadmeSnippets.load().readme().getParent().toRealPath();
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CHANGELOG.md"),
                root.resolve("jextract/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            String text = Files.readString(document);
            assertThat(text).as("%s refers to a folder outside the repository", root.relativize(document))
                    .doesNotContain("../shared");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1).replaceFirst("#.*$", "");
                if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                    continue; // an anchor in the same document, or an absolute URL
                }
                Path resolved = document.getParent().resolve(target).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(document) + " -> " + m.group(1));
                }
            }
        }
        assertThat(broken).as("links that leave the repository or point at nothing").isEmpty();
        assertThat(documents).hasSizeGreaterThan(5);
    }
}
