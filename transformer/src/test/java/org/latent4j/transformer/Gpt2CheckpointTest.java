package org.latent4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/** A tiny random GPT-2 saved in Hugging Face's layout by transformer/src/test/python/fixtures_gpt2.py. */
class Gpt2CheckpointTest {
    private static final Fixtures.Case F = Fixtures.load("gpt2_tiny").get("forward");

    private static Path dir() throws Exception {
        return Path.of(Gpt2CheckpointTest.class.getResource("/fixtures/gpt2_tiny/model.safetensors").toURI()).getParent();
    }

    private static GptConfig config(DType dtype) {
        return new GptConfig((int) F.number("vocab"), (int) F.number("positions"), (int) F.number("layers"),
                (int) F.number("heads"), (int) F.number("embed"), 0.0, 0.0, PositionEncoding.LEARNED, dtype);
    }

    private static Tensor ids() {
        return F.longs("ids");
    }

    @Test
    void float32LogitsMatchPyTorchWithin1e5() throws Exception {
        Gpt model = Gpt2Checkpoint.load(dir().resolve("model.safetensors"), config(DType.FLOAT32));
        model.eval();
        assertClose(F.tensor("logits"), model.forward(ids()).to(DType.FLOAT64), 1e-5, 1e-5);
    }

    @Test
    void float64LogitsLossAndEveryGradientMatchPyTorch() throws Exception {
        Gpt model = Gpt2Checkpoint.load(dir().resolve("model.safetensors"), config(DType.FLOAT64));
        model.eval();
        assertClose(F.tensor("logits"), model.forward(ids()), 1e-9, 1e-10);
        Tensor x = Shapes.slice(ids(), 1, 0, ids().size(1) - 1);
        Tensor y = Shapes.slice(ids(), 1, 1, ids().size(1));
        Tensor loss = model.loss(x, y);
        assertEquals(F.number("loss"), loss.item(), 1e-10);
        loss.backward();
        Map<String, Tensor> expected = Gpt2Checkpoint.fromHuggingFace(SafeTensors.load(dir().resolve("grads.safetensors")));
        Map<String, Tensor> params = model.namedParameters();
        assertEquals(expected.keySet(), params.keySet());
        for (String name : params.keySet()) {
            assertClose(expected.get(name), params.get(name).grad(), 1e-8, 1e-10);
        }
    }

    @Test
    void savingInGpt2LayoutRoundTrips(@TempDir Path tmp) throws Exception {
        Gpt model = Gpt2Checkpoint.load(dir().resolve("model.safetensors"), config(DType.FLOAT32));
        Gpt2Checkpoint.save(model, tmp.resolve("again.safetensors"));
        Gpt again = Gpt2Checkpoint.load(tmp.resolve("again.safetensors"), config(DType.FLOAT32));
        model.eval();
        again.eval();
        assertClose(model.forward(ids()), again.forward(ids()), 0, 0);
    }
}
