package org.latent4j.transformer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** GPT-2 file compatibility: files and encodings from transformer/src/test/python/fixtures_bpe.py. */
class ByteLevelBpeGpt2Test {
    @Test
    void encodesLikeGpt2sReferenceEncoderFromItsFiles() throws Exception {
        Path dir = Path.of(getClass().getResource("/fixtures/gpt2_bpe/vocab.json").toURI()).getParent();
        ByteLevelBpe bpe = ByteLevelBpe.load(dir);
        assertEquals(java.util.Map.of("<|endoftext|>", bpe.vocabSize() - 1), bpe.specialTokens());
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("cases.json").toFile()).get("cases");
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] expected = new int[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("ids").get(i).asInt();
            }
            assertArrayEquals(expected, bpe.encode(text), text);
            assertEquals(text, bpe.decode(expected));
        }
    }
}
