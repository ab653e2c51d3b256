package org.latent4j.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteLevelBpeTest {
    private static final String CORPUS = """
            The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs.
            They're here, we've gone, I'm done, it's 2024 and 12345 + 678 = 13023!
            the the the then there these those this that thin thing things
            """.repeat(3);

    @Test
    void byteAlphabetMatchesGpt2ForSpaceNewlineAndPrintables() {
        assertEquals('Ġ', ByteAlphabet.toChar(' '));
        assertEquals('Ċ', ByteAlphabet.toChar('\n'));
        assertEquals('Ā', ByteAlphabet.toChar(0));
        assertEquals('A', ByteAlphabet.toChar('A'));
        assertEquals('!', (char) ByteAlphabet.byteAt(0));
        for (int b = 0; b < 256; b++) {
            assertEquals(b, ByteAlphabet.toByte(ByteAlphabet.toChar(b)));
        }
    }

    @Test
    void trainingReachesTheRequestedVocabularyAndMergesFrequentWords() {
        ByteLevelBpe bpe = ByteLevelBpe.train(CORPUS, 300, "<|endoftext|>");
        assertEquals(300, bpe.vocabSize());
        assertEquals(300 - 256 - 1, bpe.numMerges());
        assertEquals(299, bpe.id("<|endoftext|>"));
        // "Ġthe" is by far the most frequent word: it must be one token.
        assertEquals(1, bpe.encode(" the").length);
        assertEquals("Ġthe", bpe.token(bpe.encode(" the")[0]));
    }

    @Test
    void trainingIsDeterministic() {
        ByteLevelBpe a = ByteLevelBpe.train(CORPUS, 320);
        ByteLevelBpe b = ByteLevelBpe.train(CORPUS, 320);
        assertArrayEquals(a.encode(CORPUS), b.encode(CORPUS));
        assertTrue(a.encode(CORPUS).length < CORPUS.getBytes(StandardCharsets.UTF_8).length / 2);
    }

    @Test
    void trainingStopsWhenNoPairIsLeft() {
        ByteLevelBpe bpe = ByteLevelBpe.train("ab ab", 1000);
        assertEquals(1, bpe.encode("ab").length);
        assertTrue(bpe.vocabSize() < 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello world", "  leading and trailing spaces  \n\n\ttabs",
        "emoji 😀👍🏽 and flags 🇫🇷", "中文字符和日本語のテキスト、한국어", "mixed: naïve café — «quotes» ½ ²",
        "control \u0000\u0001\u007f chars", "they're we've I'd", "zero\u200bwidth and NBSP\u00a0here",
        "numbers 3.14159e10 -42 ٣٤٥"})
    void encodeDecodeRoundTripsAnyText(String text) {
        ByteLevelBpe bpe = ByteLevelBpe.train(CORPUS, 320, "<|endoftext|>");
        assertEquals(text, bpe.decode(bpe.encode(text)));
    }

    @Test
    void cutCharactersDecodeToReplacementButBytesStayExact() {
        ByteLevelBpe bpe = ByteLevelBpe.train(CORPUS, 300);
        int[] ids = bpe.encode("😀");
        assertEquals(4, ids.length); // four UTF-8 bytes, never seen in training
        assertEquals("\uFFFD", bpe.decode(ids[0]));
        assertArrayEquals("😀".getBytes(StandardCharsets.UTF_8), bpe.decodeBytes(ids));
    }

    @Test
    void specialTokensAreEncodedOnlyWhenAsked() {
        ByteLevelBpe bpe = ByteLevelBpe.train(CORPUS, 300, "<|endoftext|>");
        int eot = bpe.id("<|endoftext|>");
        int[] plain = bpe.encode("a<|endoftext|>b");
        assertTrue(plain.length > 3);
        int[] special = bpe.encodeWithSpecialTokens("the dog<|endoftext|>the fox");
        assertEquals(1, java.util.Arrays.stream(special).filter(i -> i == eot).count());
        assertEquals("the dog<|endoftext|>the fox", bpe.decode(special));
    }

    @Test
    void saveAndLoadInGpt2FormatGiveTheSameEncoding(@TempDir Path dir) throws Exception {
        ByteLevelBpe bpe = ByteLevelBpe.train(CORPUS, 330, "<|endoftext|>");
        bpe.save(dir);
        assertTrue(Files.readString(dir.resolve("merges.txt")).startsWith("#version: 0.2\n"));
        ByteLevelBpe loaded = ByteLevelBpe.load(dir);
        assertEquals(bpe.vocabSize(), loaded.vocabSize());
        String text = CORPUS + " unseen wörds 😀";
        assertArrayEquals(bpe.encode(text), loaded.encode(text));
        assertEquals(bpe.id("<|endoftext|>"), loaded.id("<|endoftext|>"));
    }

    @Test
    void loadRejectsMergesOfUnknownTokensWithTheLineNumber(@TempDir Path dir) throws Exception {
        ByteLevelBpe.train(CORPUS, 270).save(dir);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nq zz\nt h\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteLevelBpe.load(dir));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        assertEquals("ByteLevelBpe.train: vocabSize 100 is below the 256 tokens of the byte alphabet and special "
                + "tokens", assertThrows(IllegalArgumentException.class, () -> ByteLevelBpe.train("x", 100)).getMessage());
        ByteLevelBpe bpe = ByteLevelBpe.train("abc", 256);
        assertEquals("decode: token id 256 is outside the vocabulary of 256 tokens",
                assertThrows(IllegalArgumentException.class, () -> bpe.decode(256)).getMessage());
    }
}
