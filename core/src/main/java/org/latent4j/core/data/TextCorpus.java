package org.latent4j.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Text for character-level language models: a small corpus bundled with the library (original prose,
 * about 5 KB, always available), any UTF-8 file, and the {@code fortunes} collection Debian installs under
 * {@value #FORTUNES_DIR} (about 2.5 MB).
 */
public final class TextCorpus {
    public static final String FORTUNES_DIR = "/usr/share/games/fortunes";
    private static final String BUNDLED = "corpus.txt";

    private TextCorpus() {
    }

    /** The bundled corpus. */
    public static String bundled() {
        try (InputStream in = TextCorpus.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("TextCorpus: the bundled " + BUNDLED + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a UTF-8 file (malformed bytes become U+FFFD). */
    public static String read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    /** The fortunes of {@value #FORTUNES_DIR}; see {@link #fortunes(Path)}. */
    public static String fortunes() throws IOException {
        return fortunes(Path.of(FORTUNES_DIR));
    }

    /**
     * Every fortune of the fortune files directly in {@code dir} (not the index {@code .dat} files, the
     * {@code .u8} links or subdirectories), in file-name order, with the {@code %} separator lines removed
     * and fortunes separated by a blank line.
     */
    public static String fortunes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "no fortunes directory; install it with: sudo apt-get install fortunes");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().contains("."))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new NoSuchFileException(dir.toString(), null, "no fortune files; install them with: "
                    + "sudo apt-get install fortunes");
        }
        List<String> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(splitFortunes(read(f)));
        }
        return String.join("\n\n", all) + "\n";
    }

    /** The fortunes of one file's text: the pieces between lines holding only {@code %}, trimmed of blank edges. */
    static List<String> splitFortunes(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.strip().equals("%")) {
                flush(current, out);
            } else {
                current.append(line).append('\n');
            }
        }
        flush(current, out);
        return out;
    }

    private static void flush(StringBuilder current, List<String> out) {
        String s = current.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e);   // cannot happen with REPLACE
        }
    }
}
