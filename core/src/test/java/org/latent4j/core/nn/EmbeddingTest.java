package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class EmbeddingTest {
    @Test
    void embeddingMatchesPyTorchIncludingRepeatedIds() {
        Embedding e = new Embedding(7, 3, DType.FLOAT64, new Rng(0));
        LayerFixtures.assertMatchesPyTorch("embedding", e, e::forward);
    }

    @Test
    void embeddingPassesGradCheckForItsTable() {
        Embedding e = new Embedding(4, 2, DType.FLOAT64, new Rng(0));
        ModuleGradCheck.assertGradients(e, e::forward, Tensor.ofLongs(new long[] {0, 3, 3, 1}, 2, 2));
    }

    @Test
    void embeddingStartsStandardNormalAndRejectsFloatIds() {
        Embedding e = new Embedding(1000, 64, new Rng(0));
        InitTest.assertNear("embedding_std", InitTest.std(e.weight()), 0.02);
        assertEquals(0.0, e.weight().value().meanNumber().doubleValue(), 0.01);
        assertEquals("Embedding: ids must be int64, got float32 of shape (2,)",
                assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.zeros(2))).getMessage());
    }
}
