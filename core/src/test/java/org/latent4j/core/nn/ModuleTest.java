package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class ModuleTest {
    /** A toy language model: embedding, blocks with a linear each, a head tied to the embedding. */
    private static final class TinyLm extends Module {
        final Linear inProj;
        final ModuleList<Sequential> blocks;
        final Linear head;

        TinyLm(Rng rng) {
            inProj = registerModule("in_proj", new Linear(4, 4, rng));
            blocks = registerModule("blocks", new ModuleList<>());
            for (int i = 0; i < 2; i++) {
                blocks.add(new Sequential(new Linear(4, 4, rng), new Identity()));
            }
            head = registerModule("head", new Linear(4, 4, ParamOptions.defaults().withoutBias(), rng));
            registerBuffer("position_ids", Tensor.ofLongs(new long[] {0, 1, 2}, 3));
        }

        /** Shares the head's weight with the input projection (weight tying). */
        static TinyLm tied(Rng rng) {
            TinyLm m = new TinyLm(rng);
            m.registerModule("tied", new Module() {
                {
                    registerParameter("weight", m.inProj.weight());
                }
            });
            return m;
        }
    }

    @Test
    void namesAreDottedInRegistrationOrderAsPyTorch() {
        TinyLm m = new TinyLm(new Rng(0));
        assertEquals(List.of("in_proj.weight", "in_proj.bias", "blocks.0.0.weight", "blocks.0.0.bias",
                "blocks.1.0.weight", "blocks.1.0.bias", "head.weight"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("position_ids", "in_proj.weight", "in_proj.bias", "blocks.0.0.weight", "blocks.0.0.bias",
                "blocks.1.0.weight", "blocks.1.0.bias", "head.weight"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("", "in_proj", "blocks", "blocks.0", "blocks.0.0", "blocks.0.1", "blocks.1", "blocks.1.0",
                "blocks.1.1", "head"), List.copyOf(m.namedModules().keySet()));
        assertEquals(4 * 4 * 4 + 3 * 4, m.numParameters());
        assertTrue(m.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void tiedWeightsAreListedOnceButSavedUnderEachName() {
        TinyLm m = TinyLm.tied(new Rng(0));
        assertFalse(m.namedParameters().containsKey("tied.weight"));
        assertEquals(7, m.parameters().size());
        assertTrue(m.stateDict().containsKey("tied.weight"));
        assertEquals(4 * 4 * 4 + 3 * 4, m.numParameters());
    }

    @Test
    void trainAndEvalReachEveryModule() {
        TinyLm m = new TinyLm(new Rng(0));
        assertTrue(m.isTraining());
        m.eval();
        assertFalse(m.blocks.get(1).get(1).isTraining());
        m.train();
        assertTrue(m.blocks.get(1).get(1).isTraining());
    }

    @Test
    void stateDictRoundTripsIntoAFreshModule() {
        TinyLm a = new TinyLm(new Rng(1));
        TinyLm b = new TinyLm(new Rng(2));
        Module.LoadResult r = b.loadStateDict(a.stateDict(), Module.LoadMode.STRICT);
        assertEquals(List.of(), r.missingKeys());
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        assertClose(a.head.forward(a.inProj.forward(x)), b.head.forward(b.inProj.forward(x)), 0, 0);
        assertSame(a.head.weight().value(), a.stateDict().get("head.weight").value());
    }

    @Test
    void strictLoadListsMissingUnexpectedAndMisShapedKeysAndChangesNothing() {
        TinyLm m = new TinyLm(new Rng(0));
        float before = m.inProj.weight().value().getFloat(0);
        Map<String, Tensor> state = new LinkedHashMap<>(new TinyLm(new Rng(5)).stateDict());
        state.remove("head.weight");
        state.remove("blocks.1.0.bias");
        state.put("lm_head.weight", Tensor.zeros(4, 4));
        state.put("in_proj.bias", Tensor.zeros(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.loadStateDict(state, Module.LoadMode.STRICT));
        assertEquals("loadStateDict: TinyLm does not match the state dict; missing keys [blocks.1.0.bias, head.weight]; "
                + "unexpected keys [lm_head.weight]; shape mismatch for in_proj.bias: expected (4,), got (5,)",
                e.getMessage());
        assertEquals(before, m.inProj.weight().value().getFloat(0));
    }

    @Test
    void nonStrictLoadReportsWhatItSkipped() {
        TinyLm m = new TinyLm(new Rng(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("head.weight", Tensor.ones(DType.FLOAT64, 4, 4));
        state.put("extra", Tensor.zeros(1));
        Module.LoadResult r = m.loadStateDict(state, Module.LoadMode.NON_STRICT);
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertEquals(7, r.missingKeys().size());
        assertEquals(1.0f, m.head.weight().value().getFloat(5));
        assertEquals(DType.FLOAT32, m.head.weight().dtype());
    }

    private static final class Twice extends Module {
        Twice() {
            registerParameter("x", Tensor.zeros(2));
            registerBuffer("x", Tensor.zeros(2));
        }
    }

    @Test
    void registrationRejectsBadNames() {
        assertEquals("Twice: 'x' is already registered", assertThrows(IllegalArgumentException.class, Twice::new)
                .getMessage());
        assertEquals("Identity: name 'a.b' must be non-empty and contain no '.'", assertThrows(
                IllegalArgumentException.class, () -> new Identity().registerBuffer("a.b", Tensor.zeros(1)))
                .getMessage());
    }

    @Test
    void zeroGradZeroesEveryGradientInPlace() {
        TinyLm m = new TinyLm(new Rng(0));
        m.head.forward(m.inProj.forward(Tensor.ones(2, 4))).sum().backward();
        org.nd4j.linalg.api.ndarray.INDArray g = m.inProj.weight().grad().value();
        m.zeroGrad();
        assertSame(g, m.inProj.weight().grad().value());
        assertEquals(0.0, g.amaxNumber().doubleValue());
    }

    @Test
    void toStringShowsTheTree() {
        Sequential s = new Sequential(new Linear(2, 3, new Rng(0)), new Identity());
        assertEquals("Sequential(\n  (0): Linear(in=2, out=3, bias=true)\n  (1): Identity()\n)", s.toString());
    }
}
