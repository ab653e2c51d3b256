package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Code in the README and the guides comes from compiled sources, so it cannot rot: every {@code ```java}
 * block is followed by {@code <!-- from path/to/Source.java -->}, and its lines (ignoring indentation) must
 * appear one after another in that file.
 */
class DocSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```\\s*\\n<!-- from (\\S+) -->|```java\\n(.*?)```",
            Pattern.DOTALL);

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        return Files.exists(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")) ? p : p.getParent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/core.md", "docs/data.md", "docs/architecture.md", "docs/gan.md",
        "docs/vae.md"})
    void everyJavaBlockIsCopiedFromTheCompiledSourceItNames(String doc) throws IOException {
        Path file = root().resolve(doc);
        if (!Files.exists(file)) {
            fail(doc + " is missing");
        }
        String text = Files.readString(file);
        Matcher m = BLOCK.matcher(text);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            if (m.group(2) == null) {
                fail(doc + ": a ```java block has no <!-- from path --> line after it:\n" + m.group(3));
            }
            Path source = root().resolve(m.group(2));
            assertTrue(Files.exists(source), doc + ": snippet source " + m.group(2) + " does not exist");
            List<String> want = trimmed(m.group(1));
            List<String> have = trimmed(Files.readString(source));
            assertTrue(containsRun(have, want), doc + ": this snippet is not (any more) in " + m.group(2) + ":\n"
                    + String.join("\n", want));
        }
        assertTrue(blocks >= 0);
    }

    private static List<String> trimmed(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(ArrayList::new));
    }

    private static boolean containsRun(List<String> haystack, List<String> needle) {
        outer:
        for (int i = 0; i + needle.size() <= haystack.size(); i++) {
            for (int j = 0; j < needle.size(); j++) {
                if (!haystack.get(i + j).equals(needle.get(j))) {
                    continue outer;
                }
            }
            return true;
        }
        return needle.isEmpty();
    }
}
