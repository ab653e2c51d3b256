package org.latent4j.transformer.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.Gpt;
import org.latent4j.transformer.GptConfig;
import org.latent4j.transformer.PositionEncoding;

class LoraTest {
    private static final GptConfig CONFIG = new GptConfig(10, 8, 2, 2, 16, 0.0, 0.0, PositionEncoding.LEARNED,
            DType.FLOAT32);

    /** Sequences of length 8 where each token is the previous plus {@code step}, mod 10. */
    private static Tensor[] batch(Rng rng, int step, int n) {
        long[] x = new long[n * 8];
        long[] y = new long[n * 8];
        for (int b = 0; b < n; b++) {
            long v = rng.nextInt(10);
            for (int t = 0; t < 8; t++) {
                x[b * 8 + t] = v;
                v = (v + step) % 10;
                y[b * 8 + t] = v;
            }
        }
        return new Tensor[] {Tensor.ofLongs(x, n, 8), Tensor.ofLongs(y, n, 8)};
    }

    private static void train(Gpt model, AdamW opt, int step, int steps, Rng rng) {
        for (int i = 0; i < steps; i++) {
            Tensor[] b = batch(rng, step, 16);
            Tensor loss = model.loss(b[0], b[1]);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
    }

    /** Fraction of next tokens predicted right (argmax) on fresh sequences. */
    private static double accuracy(Gpt model, int step) {
        model.eval();
        Tensor[] b = batch(new Rng(99), step, 32);
        float[] logits = model.forward(b[0]).toFloatArray();
        long[] y = b[1].toLongArray();
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int v = 1; v < 10; v++) {
                if (logits[i * 10 + v] > logits[i * 10 + best]) {
                    best = v;
                }
            }
            right += best == y[i] ? 1 : 0;
        }
        model.train();
        return right / (double) y.length;
    }

    private static Map<String, float[]> snapshot(Gpt model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> {
            if (!k.contains("lora_")) {
                out.put(k, v.toFloatArray());
            }
        });
        return out;
    }

    private static List<Tensor> snapshotTensors(Gpt model) {
        List<Tensor> out = new java.util.ArrayList<>();
        model.namedParameters().forEach((k, v) -> {
            if (!k.contains("lora_")) {
                out.add(v);
            }
        });
        return out;
    }

    @Test
    void fineTuningLearnsANewTaskAndLeavesTheBaseWeightsUntouched() {
        Rng rng = new Rng(1);
        Gpt model = new Gpt(CONFIG, rng);
        train(model, model.adamW(AdamW.defaults().withLr(1e-2)), 1, 150, rng);
        assertTrue(accuracy(model, 1) > 0.95, "base task accuracy " + accuracy(model, 1));
        assertTrue(accuracy(model, 3) < 0.3);
        Map<String, float[]> before = snapshot(model);
        model.parameters().forEach(Tensor::clearGrad);

        Lora.attach(model, LoraConfig.of(4), rng);
        List<Tensor> adapters = Lora.parameters(model);
        assertEquals(2 * 2 * 4, adapters.size());   // A and B on 4 layers in each of 2 blocks
        assertEquals(adapters, model.trainableParameters());   // the base model is frozen
        assertEquals(1.0, accuracy(model, 1), 0.05); // B starts at zero: nothing changed yet
        // An optimizer over every parameter (with weight decay) is safe: it skips the frozen ones.
        train(model, model.adamW(AdamW.defaults().withLr(1e-2)), 3, 150, rng);

        assertTrue(accuracy(model, 3) > 0.95, "new task accuracy " + accuracy(model, 3));
        Map<String, float[]> after = snapshot(model);
        for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name), name);
        }
        // Frozen, the base parameters never get a gradient: backward does no work for them.
        for (Tensor p : snapshotTensors(model)) {
            assertNull(p.grad());
        }
    }

    @Test
    void mergeAndUnmergeKeepTheOutputAndRestoreTheWeights() {
        Rng rng = new Rng(2);
        Gpt model = new Gpt(CONFIG, rng);
        Lora.attach(model, LoraConfig.of(2).withAlpha(8), rng);
        train(model, new AdamW(Lora.parameters(model), AdamW.defaults().withLr(1e-2)), 3, 5, rng);
        model.eval();
        Tensor x = batch(new Rng(3), 3, 2)[0];
        Tensor adapted = model.forward(x);
        float[] w = model.namedParameters().get("blocks.0.attn.qkv.weight").toFloatArray();
        Lora.merge(model);
        assertClose(adapted, model.forward(x), 1e-5, 1e-5);
        Lora.unmerge(model);
        assertArrayEquals(w, model.namedParameters().get("blocks.0.attn.qkv.weight").toFloatArray(), 1e-6f);
        assertClose(adapted, model.forward(x), 1e-5, 1e-5);
    }

    @Test
    void adaptersSaveAndLoadAlone(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(4);
        Gpt model = new Gpt(CONFIG, new Rng(5));
        Lora.attach(model, LoraConfig.of(2), rng);
        train(model, new AdamW(Lora.parameters(model), AdamW.defaults().withLr(1e-2)), 3, 5, rng);
        Lora.save(model, dir.resolve("adapters.safetensors"));
        Gpt other = new Gpt(CONFIG, new Rng(5));   // the same base weights
        Lora.attach(other, LoraConfig.of(2), new Rng(77));
        Lora.load(other, dir.resolve("adapters.safetensors"));
        model.eval();
        other.eval();
        Tensor x = batch(new Rng(6), 3, 2)[0];
        assertClose(model.forward(x), other.forward(x), 0, 0);
        assertTrue(dir.resolve("adapters.safetensors").toFile().length() < 20_000);
    }

    @Test
    void misuseIsReported() {
        Gpt model = new Gpt(CONFIG, new Rng(7));
        assertEquals("Lora: the model has no adapters; call Lora.attach first",
                assertThrows(IllegalStateException.class, () -> Lora.parameters(model)).getMessage());
        assertEquals("LoraConfig: rank must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(0)).getMessage());
    }
}
