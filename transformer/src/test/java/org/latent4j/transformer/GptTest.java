package org.latent4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.sampling.Sampler;
import org.latent4j.transformer.sampling.SamplingOptions;

class GptTest {
    private static final GptConfig SMALL = new GptConfig(11, 12, 2, 2, 8, 0.0, 0.0, PositionEncoding.LEARNED,
            DType.FLOAT64);

    private static Tensor ids(long... v) {
        return Tensor.ofLongs(v, 1, v.length);
    }

    @Test
    void namesFollowThePlanAndTheHeadIsTied() {
        Gpt model = new Gpt(SMALL, new Rng(1));
        Map<String, Tensor> p = model.namedParameters();
        assertTrue(p.containsKey("wte.weight"));
        assertTrue(p.containsKey("wpe.weight"));
        assertArrayEquals(new long[] {24, 8}, p.get("blocks.1.attn.qkv.weight").shape());
        assertTrue(p.containsKey("blocks.0.mlp.proj.bias"));
        assertTrue(p.containsKey("ln_f.weight"));
        assertEquals(2 + 2 * 12 + 2, p.size());
        assertSame(model.wte().weight(), p.get("wte.weight"));
    }

    @Test
    void residualProjectionsStartWithTheScaledStd() {
        GptConfig c = GptConfig.baby().withVocabSize(50);
        Gpt model = new Gpt(c, new Rng(2));
        double[] proj = model.namedParameters().get("blocks.0.mlp.proj.weight").toDoubleArray();
        double[] fc = model.namedParameters().get("blocks.0.mlp.fc.weight").toDoubleArray();
        assertEquals(0.02 / Math.sqrt(8), std(proj), 0.0005);
        assertEquals(0.02, std(fc), 0.0005);
        assertEquals(0.0, model.namedParameters().get("blocks.0.attn.qkv.bias").sum().item());
    }

    private static double std(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length);
    }

    @Test
    void adamWDecaysOnlyMatrices() {
        Gpt model = new Gpt(SMALL, new Rng(3));
        AdamW opt = model.adamW(AdamW.defaults().withWeightDecay(0.1));
        assertEquals(2, opt.groups().size());
        assertTrue(opt.groups().get(0).params().stream().allMatch(t -> t.rank() >= 2));
        assertEquals(0.1, opt.groups().get(0).weightDecay());
        assertTrue(opt.groups().get(1).params().stream().allMatch(t -> t.rank() < 2));
        assertEquals(0.0, opt.groups().get(1).weightDecay());
    }

    @ParameterizedTest
    @EnumSource(PositionEncoding.class)
    void kvCacheDecodingEqualsFullRecompute(PositionEncoding positions) {
        Gpt model = new Gpt(SMALL.withPositions(positions).withDType(DType.FLOAT32), new Rng(4));
        model.eval();
        long[] seq = {3, 1, 4, 1, 5, 9, 2, 6};
        Tensor full = model.forward(ids(seq));                                   // (1, 8, V)
        KvCache cache = model.newCache();
        Tensor prefill = model.forward(ids(3, 1, 4), cache);
        assertClose(Shapes.slice(full, 1, 0, 3), prefill, 1e-5, 1e-5);
        for (int i = 3; i < seq.length; i++) {
            Tensor step = model.forward(ids(seq[i]), cache);                     // (1, 1, V)
            assertClose(Shapes.slice(full, 1, i, i + 1), step, 1e-5, 1e-5);
        }
        assertEquals(8, cache.length());
    }

    @Test
    void decodersWithAndWithoutCacheGenerateTheSameTokens() {
        Gpt model = new Gpt(SMALL.withDType(DType.FLOAT32), new Rng(5));
        SamplingOptions greedy = SamplingOptions.greedy(16);   // past the block of 12: exercises the refill
        int[] cached = Sampler.generate(model.decoder(GptDecoder.Caching.KV_CACHE), new int[] {1, 2}, greedy,
                new Rng(0));
        int[] plain = Sampler.generate(model.decoder(GptDecoder.Caching.NONE), new int[] {1, 2}, greedy, new Rng(0));
        assertEquals(16, cached.length);
        assertArrayEquals(java.util.Arrays.copyOf(plain, 10), java.util.Arrays.copyOf(cached, 10));
    }

    @Test
    void lossStartsNearLogVocabAndFallsWithTraining() {
        Gpt model = new Gpt(SMALL.withDType(DType.FLOAT32), new Rng(6));
        Tensor x = ids(1, 2, 3, 4, 5, 6, 7, 8);
        Tensor y = ids(2, 3, 4, 5, 6, 7, 8, 9);
        AdamW opt = model.adamW(AdamW.defaults().withLr(1e-2));
        double first = model.loss(x, y).item();
        assertEquals(Math.log(11), first, 0.1);
        double last = first;
        for (int i = 0; i < 20; i++) {
            Tensor loss = model.loss(x, y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            last = loss.item();
        }
        assertTrue(last < 1.5, "loss after 20 steps " + last);
    }

    @Test
    void badInputsAreRejected() {
        Gpt model = new Gpt(SMALL, new Rng(7));
        assertEquals("Gpt: positions 0..12 exceed the block size 12", assertThrows(IllegalArgumentException.class,
                () -> model.forward(Tensor.ofLongs(new long[13], 1, 13))).getMessage());
        assertEquals("Gpt: token ids must be an int64 (B, T) tensor, got float32 (3,)", assertThrows(
                IllegalArgumentException.class, () -> model.forward(Tensor.zeros(3))).getMessage());
    }
}
