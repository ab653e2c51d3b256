package org.latent4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.latent4j.core.testing.TensorAssert.uniform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class ActivationTest {
    private static Activation of(Activation.Kind kind) {
        switch (kind) {
            case RELU: return Activation.relu();
            case LEAKY_RELU: return Activation.leakyRelu(0.2);
            case GELU: return Activation.gelu();
            case GELU_TANH: return Activation.geluTanh();
            case SILU: return Activation.silu();
            case SIGMOID: return Activation.sigmoid();
            case TANH: return Activation.tanh();
            case SOFTPLUS: return Activation.softplus();
            default: return Activation.elu(0.7);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.Kind.class)
    void activationModulesPassGradCheckAwayFromKinks(Activation.Kind kind) {
        Activation a = of(kind);
        assertEquals(kind, a.kind());
        Tensor x = Tensor.of(new double[] {-1.3, -0.4, 0.3, 1.1, 2.0, -2.2}, 2, 3);
        ModuleGradCheck.assertGradients(a, a::forward, x);
    }

    @Test
    void mlpWithGeluMatchesPyTorchSequential() {
        ParamOptions f64 = ParamOptions.defaults().withDType(DType.FLOAT64);
        Mlp mlp = new Mlp(new int[] {3, 4, 2}, Activation::gelu, f64, new Rng(0));
        LayerFixtures.assertMatchesPyTorch("mlp_gelu", mlp, mlp::forward);
        assertEquals("Mlp(widths=[3, 4, 2]\n  (0): Linear(in=3, out=4, bias=true)\n  (1): Activation(gelu)\n"
                + "  (2): Linear(in=4, out=2, bias=true)\n)", mlp.toString());
        ModuleGradCheck.assertGradients(mlp, mlp::forward, uniform(new Rng(1), -1, 1, 2, 3));
    }
}
