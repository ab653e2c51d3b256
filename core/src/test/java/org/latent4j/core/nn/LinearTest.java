package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

class LinearTest {
    private static final ParamOptions F64 = ParamOptions.defaults().withDType(DType.FLOAT64);

    @Test
    void linearMatchesPyTorchOnBatchedInput() {
        Linear l = new Linear(4, 3, F64, new Rng(0));
        LayerFixtures.assertMatchesPyTorch("linear", l, l::forward);
    }

    @Test
    void linearWithoutBiasMatchesPyTorch() {
        Linear l = new Linear(4, 3, F64.withoutBias(), new Rng(0));
        assertEquals(1, l.parameters().size());
        LayerFixtures.assertMatchesPyTorch("linear_no_bias", l, l::forward);
    }

    @Test
    void sequentialLoadsPyTorchNamesAndMatches() {
        Sequential s = new Sequential(new Linear(3, 5, F64, new Rng(0)), new Identity(), new Linear(5, 2, F64,
                new Rng(1)));
        LayerFixtures.assertMatchesPyTorch("sequential", s, s::forward);
    }

    @Test
    void linearPassesGradCheck() {
        Linear l = new Linear(3, 2, F64, new Rng(3));
        ModuleGradCheck.assertGradients(l, l::forward, TensorAssert.uniform(new Rng(4), -1, 1, 2, 2, 3));
    }

    @Test
    void mlpStacksLinearsWithActivationsBetween() {
        Mlp mlp = new Mlp(new int[] {2, 3, 3, 1}, Identity::new, F64, new Rng(0));
        assertEquals(5, mlp.size());
        assertTrue(mlp.namedParameters().containsKey("4.bias"));
        assertEquals(2 * 3 + 3 + 3 * 3 + 3 + 3 + 1, mlp.numParameters());
        ModuleGradCheck.assertGradients(mlp, mlp::forward, TensorAssert.uniform(new Rng(4), -1, 1, 3, 2));
        assertEquals("Mlp: needs at least an input and an output width, got [3]",
                assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[] {3}, Identity::new, new Rng(0)))
                        .getMessage());
    }

    @Test
    void badInputsFailWithClearMessages() {
        Linear l = new Linear(4, 3, new Rng(0));
        assertEquals("Linear: input (2,5) must end in 4 features", assertThrows(IllegalArgumentException.class,
                () -> l.forward(Tensor.zeros(2, 5))).getMessage());
        assertEquals("Linear: inFeatures must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Linear(0, 3, new Rng(0))).getMessage());
        assertEquals("ParamOptions: parameters must be float32 or float64, got int64", assertThrows(
                IllegalArgumentException.class, () -> ParamOptions.defaults().withDType(DType.INT64)).getMessage());
    }
}
