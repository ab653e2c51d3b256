package org.latent4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.io.FileFormatException;
import org.latent4j.core.tensor.Rng;

class TextDataTest {
    @TempDir
    Path tmp;

    @Test
    void tokenizerRoundTripsTextAndItsSavedVocabulary() throws IOException {
        String text = TextCorpus.bundled();
        assertTrue(text.length() > 4000 && text.startsWith("The Lighthouse Keeper"));
        CharTokenizer tok = CharTokenizer.fromText(text + "é😀");
        assertEquals(text, tok.decode(tok.encode(text)));
        assertEquals("é😀", tok.decode(tok.encode("é😀")));
        Path f = tmp.resolve("tokenizer.json");
        tok.save(f);
        CharTokenizer back = CharTokenizer.load(f);
        assertEquals(tok.vocabulary(), back.vocabulary());
        assertArrayEquals(tok.encode(text), back.encode(text));
        assertEquals(List.of("\n", " "), tok.vocabulary().subList(0, 2));
    }

    @Test
    void tokenizerNamesUnknownCharactersAndBadIds() throws IOException {
        CharTokenizer tok = CharTokenizer.fromText("abc");
        assertEquals("CharTokenizer: character 'z' (U+007A) at position 2 is not in the vocabulary of 3 characters",
                assertThrows(IllegalArgumentException.class, () -> tok.encode("abz")).getMessage());
        assertEquals("CharTokenizer: token 3 at position 0 is outside the vocabulary [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> tok.decode(new long[] {3})).getMessage());
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"type\": \"char\", \"vocab\": [\"a\", \"bc\"]}");
        FileFormatException e = assertThrows(FileFormatException.class, () -> CharTokenizer.load(f));
        assertTrue(e.getMessage().endsWith("tokenizer: vocab[1] is not a single character: \"bc\""), e.getMessage());
    }

    @Test
    void tokenWindowsPairEachInputWithTheNextTokens() {
        long[] tokens = {0, 1, 2, 3, 4, 5, 6};
        TokenWindows w = new TokenWindows(tokens, 3);
        assertEquals(4, w.size());
        Batch b = w.batch(new int[] {2, 0});
        assertArrayEquals(new long[] {2, 3}, b.x().shape());
        assertArrayEquals(new long[] {2, 3, 4, 0, 1, 2}, b.x().toLongArray());
        assertArrayEquals(new long[] {3, 4, 5, 1, 2, 3}, b.y().toLongArray());
        assertArrayEquals(new long[] {4, 5, 6}, w.get(3).get(1).toLongArray());
        Batch r = w.randomBatch(new Rng(1), 5);
        long[] x = r.x().toLongArray();
        long[] y = r.y().toLongArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + 1, y[i]);
        }
        Batch fromLoader;
        try (org.latent4j.core.tensor.Arena step = org.latent4j.core.tensor.Arena.open();
                DataLoader.Epoch e = DataLoader.of(w).batchSize(4).epoch()) {
            fromLoader = e.next();
            assertArrayEquals(new long[] {4, 3}, fromLoader.y().shape());
        }
        assertThrows(IllegalStateException.class, () -> fromLoader.x().value(), "freed with the step's arena");
        assertThrows(IllegalArgumentException.class, () -> new TokenWindows(tokens, 7));
    }

    @Test
    void additionProblemsHaveAFixedLayoutAndCorrectSums() {
        AdditionTask task = new AdditionTask(3);
        assertEquals("123+456=0579", task.format(123, 456));
        assertEquals("007+999=1006", task.format(7, 999));
        assertEquals(12, task.length());
        assertEquals(8, task.answerStart());
        Rng rng = new Rng(3);
        for (int i = 0; i < 200; i++) {
            String s = task.sample(rng);
            assertEquals(12, s.length());
            assertTrue(task.isCorrect(s), s);
        }
        assertFalse(task.isCorrect("123+456=0578"));
        var tokens = task.sampleTokens(new Rng(4), 5);
        assertArrayEquals(new long[] {5, 12}, tokens.shape());
        String first = task.tokenizer().decode(java.util.Arrays.copyOf(tokens.toLongArray(), 12));
        assertTrue(task.isCorrect(first), first);
        assertEquals(12, task.tokenizer().vocabSize());
        assertThrows(IllegalArgumentException.class, () -> task.format(1000, 1));
    }

    @Test
    void fortunesAreReadWithoutSeparators() throws IOException {
        Path dir = tmp.resolve("fortunes");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("b"), "Second file.\n%\n");
        Files.writeString(dir.resolve("a"), "First fortune,\ntwo lines.\n%\nSecond one.\n%\n");
        Files.writeString(dir.resolve("a.dat"), "\u0000binary index");
        assertEquals("First fortune,\ntwo lines.\n\nSecond one.\n\nSecond file.\n", TextCorpus.fortunes(dir));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TextCorpus.fortunes(tmp.resolve("none")));
        assertTrue(e.getMessage().contains("sudo apt-get install fortunes"), e.getMessage());
    }

    /** Debian's fortunes package (CI installs it): about 2.5 MB of text once the separators are gone. */
    @Test
    void installedFortunesLoad() throws IOException {
        String text = TextCorpus.fortunes();
        assertTrue(text.length() > 1_000_000, "length " + text.length());
        assertFalse(text.contains("\n%\n"));
    }

    @Test
    void scikitLearnDigitsLoad() throws IOException {
        TensorDataset d = Digits.load();
        assertEquals(1797, d.size());
        assertArrayEquals(new long[] {1797, 1, 8, 8}, d.field(0).shape());
        long[] y = d.field(1).toLongArray();
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, java.util.Arrays.copyOf(y, 5));
        float[] first = d.get(0).get(0).toFloatArray();
        assertEquals(5 / 16f, first[2]);
        assertEquals(13 / 16f, first[3]);
    }
}
