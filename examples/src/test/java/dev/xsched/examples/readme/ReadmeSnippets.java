package dev.xsched.examples.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fenced code blocks of the repository's README.md, found from the working directory upwards. */
record ReadmeSnippets(Path readme, String text) {
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

    /** A fenced block: its language tag, its text and the line of the README it starts on. */
    record Block(String language, String text, int line) {
        /** The name of the public class a Java block declares, or null. */
        String publicClass() {
            Matcher m = PUBLIC_CLASS.matcher(text);
            return m.find() ? m.group(1) : null;
        }
    }

    static ReadmeSnippets load() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path readme = dir.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isRegularFile(dir.resolve("xsched-bom/pom.xml"))) {
                return new ReadmeSnippets(readme, Files.readString(readme));
            }
        }
        throw new IllegalStateException("no README.md of the repository above " + Path.of("").toAbsolutePath());
    }

    List<Block> blocks(String language) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                blocks.add(new Block(m.group(1), m.group(2), line));
            }
        }
        return blocks;
    }
}
