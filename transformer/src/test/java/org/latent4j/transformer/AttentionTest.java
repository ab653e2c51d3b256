package org.latent4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.assertGradients;

import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class AttentionTest {
    private static SelfAttention selfAttention(SelfAttention.Masking masking, PositionEncoding positions) {
        SelfAttention a = new SelfAttention(4, 2, masking, positions, 0.0, DType.FLOAT64, new Rng(3));
        a.eval();
        return a;
    }

    @Test
    void causalSelfAttentionPassesGradCheck() {
        SelfAttention a = selfAttention(SelfAttention.Masking.CAUSAL, PositionEncoding.LEARNED);
        assertGradients(xs -> a.forward(xs[0]), TensorAssert.uniform(new Rng(1), -1, 1, 1, 3, 4));
    }

    @Test
    void rotaryBidirectionalSelfAttentionWithPaddingPassesGradCheck() {
        SelfAttention a = selfAttention(SelfAttention.Masking.NONE, PositionEncoding.ROTARY);
        Tensor pad = Tensor.of(new double[] {1, 0, 1}, 1, 3);
        assertGradients(xs -> a.forward(xs[0], pad), TensorAssert.uniform(new Rng(2), -1, 1, 1, 3, 4));
    }

    @Test
    void crossAttentionPassesGradCheckForQueriesAndContext() {
        CrossAttention a = new CrossAttention(4, 6, 2, 0.0, DType.FLOAT64, new Rng(4));
        assertGradients(xs -> a.forward(xs[0], xs[1]), TensorAssert.uniform(new Rng(5), -1, 1, 1, 2, 4),
                TensorAssert.uniform(new Rng(6), -1, 1, 1, 3, 6));
    }

    @Test
    void blockPassesGradCheck() {
        GptConfig c = new GptConfig(10, 8, 1, 2, 4, 0.0, 0.0, PositionEncoding.LEARNED, DType.FLOAT64);
        Block b = new Block(c, new Rng(7));
        assertGradients(xs -> b.forward(xs[0]), TensorAssert.uniform(new Rng(8), -1, 1, 1, 3, 4));
    }

    /** A fresh module from the same seed: same weights and the same dropout masks on every call. */
    private static SelfAttention withAttentionDropout(double p) {
        return new SelfAttention(4, 2, SelfAttention.Masking.CAUSAL, PositionEncoding.LEARNED, 0.0, p, DType.FLOAT64,
                new Rng(3));
    }

    @Test
    void attentionDropoutPassesGradCheck() {
        assertGradients(xs -> withAttentionDropout(0.5).forward(xs[0]),
                TensorAssert.uniform(new Rng(13), -1, 1, 2, 5, 4));
    }

    @Test
    void attentionDropoutActsInTrainingOnlyAndKeepsTheExpectation() {
        Tensor x = TensorAssert.uniform(new Rng(14), -1, 1, 1, 6, 4);
        SelfAttention plain = withAttentionDropout(0.0);
        SelfAttention dropped = withAttentionDropout(0.5);
        Tensor reference = plain.forward(x);
        assertThrows(AssertionError.class, () -> assertClose(reference, dropped.forward(x), 1e-6, 1e-6));
        dropped.eval();
        assertClose(reference, dropped.forward(x), 1e-12, 1e-12);
        // Survivors are scaled by 1/(1 - p): the mean over many draws approaches the undropped output.
        dropped.train();
        double[] mean = new double[(int) x.numel()];
        int draws = 1000;
        for (int i = 0; i < draws; i++) {
            double[] y = dropped.forward(x).toDoubleArray();
            for (int j = 0; j < y.length; j++) {
                mean[j] += y[j] / draws;
            }
        }
        assertClose(reference, Tensor.of(mean, x.shape()), 0, 0.05);
    }

    @Test
    void causalOutputsDoNotDependOnLaterPositions() {
        SelfAttention a = selfAttention(SelfAttention.Masking.CAUSAL, PositionEncoding.ROTARY);
        Tensor x = TensorAssert.uniform(new Rng(9), -1, 1, 1, 4, 4);
        double[] changed = x.toDoubleArray();
        for (int i = 12; i < 16; i++) {
            changed[i] += 5;   // the last position
        }
        Tensor y1 = Shapes.slice(a.forward(x), 1, 0, 3);
        Tensor y2 = Shapes.slice(a.forward(Tensor.of(changed, 1, 4, 4)), 1, 0, 3);
        assertClose(y1, y2, 1e-12, 1e-12);
    }

    @Test
    void paddedKeysAreIgnored() {
        CrossAttention a = new CrossAttention(4, 4, 2, 0.0, DType.FLOAT64, new Rng(10));
        Tensor x = TensorAssert.uniform(new Rng(11), -1, 1, 1, 2, 4);
        Tensor ctx = TensorAssert.uniform(new Rng(12), -1, 1, 1, 3, 4);
        double[] changed = ctx.toDoubleArray();
        for (int i = 8; i < 12; i++) {
            changed[i] = 100;   // the padded third context token
        }
        Tensor mask = Tensor.of(new double[] {1, 1, 0}, 1, 3);
        assertClose(a.forward(x, ctx, mask), a.forward(x, Tensor.of(changed, 1, 3, 4), mask), 1e-12, 1e-12);
    }

    @Test
    void badShapesNameTheInput() {
        SelfAttention a = selfAttention(SelfAttention.Masking.CAUSAL, PositionEncoding.LEARNED);
        assertEquals("SelfAttention: input (2,3,5) must be (B, T, 4)", assertThrows(IllegalArgumentException.class,
                () -> a.forward(Tensor.zeros(DType.FLOAT64, 2, 3, 5))).getMessage());
        assertEquals("SelfAttention: padding mask (2,4) must be (2, 3)", assertThrows(IllegalArgumentException.class,
                () -> a.forward(Tensor.zeros(DType.FLOAT64, 2, 3, 4), Tensor.zeros(DType.FLOAT64, 2, 4))).getMessage());
        assertEquals("SelfAttention: embedDim 6 must be a positive multiple of numHeads 4", assertThrows(
                IllegalArgumentException.class, () -> new SelfAttention(6, 4, SelfAttention.Masking.CAUSAL,
                        PositionEncoding.LEARNED, 0, DType.FLOAT32, new Rng(0))).getMessage());
    }
}
