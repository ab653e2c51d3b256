package org.latent4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GptConfigTest {
    @Test
    void presetsHaveTheDocumentedShapes() {
        GptConfig baby = GptConfig.baby();
        assertEquals(4, baby.numLayers());
        assertEquals(4, baby.numHeads());
        assertEquals(128, baby.embedDim());
        assertEquals(64, baby.blockSize());
        assertEquals(32, baby.headDim());
        assertEquals(512, baby.mlpDim());
        GptConfig small = GptConfig.gpt2Small();
        assertEquals(50257, small.vocabSize());
        assertEquals(1024, small.blockSize());
        assertEquals(65, GptConfig.tiny().withVocabSize(65).vocabSize());
    }

    @Test
    void jsonRoundTrips() {
        GptConfig c = GptConfig.baby().withVocabSize(77).withPositions(PositionEncoding.ROTARY).withDropout(0.1);
        assertEquals(c, GptConfig.fromJson(c.toJson()));
        assertEquals("GptConfig.fromJson: missing field 'vocabSize'", assertThrows(IllegalArgumentException.class,
                () -> GptConfig.fromJson(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()))
                .getMessage());
    }

    @Test
    void invalidConfigsAreRejectedNamingTheField() {
        assertEquals("GptConfig: embedDim 30 is not divisible by numHeads 4", assertThrows(
                IllegalArgumentException.class, () -> GptConfig.tiny().withShape(2, 4, 30)).getMessage());
        assertEquals("GptConfig: vocabSize must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> GptConfig.tiny().withVocabSize(0)).getMessage());
        assertEquals("GptConfig: dropout must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> GptConfig.tiny().withDropout(1.0)).getMessage());
        assertEquals("GptConfig: rotary positions need an even head size, got 5", assertThrows(
                IllegalArgumentException.class, () -> GptConfig.tiny().withShape(1, 2, 10)
                        .withPositions(PositionEncoding.ROTARY)).getMessage());
    }
}
