package org.latent4j.core.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Tensor;

class AutogradTest {
    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requireGrad();
        try (GradMode.Scope ng = GradMode.noGrad()) {
            Tensor y = x.mul(x);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
        }
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requireGrad();
        Tensor y = x.mul(x).detach().mul(x).sum();
        y.backward();
        assertClose(Tensor.of(new double[] {1, 4}, 2), x.grad());
    }

    @Test
    void secondBackwardNeedsRetainedGraph() {
        Tensor x = Tensor.of(new double[] {3}, 1).requireGrad();
        Tensor y = x.mul(x).sum();
        y.backward(GraphMode.RETAIN);
        y.backward();
        assertClose(Tensor.of(new double[] {12}, 1), x.grad());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("GraphMode.RETAIN"), e.getMessage());
    }

    @Test
    void gradWithCreateGraphGivesDifferentiableGradients() {
        // f = x³ → f' = 3x², f'' = 6x
        Tensor x = Tensor.of(new double[] {2}, 1).requireGrad();
        Tensor f = x.mul(x).mul(x).sum();
        Tensor[] g = Autograd.grad(f, new Tensor[] {x}, GraphMode.CREATE);
        assertEquals(12.0, g[0].item(), 1e-12);
        g[0].sum().backward();
        assertEquals(12.0, x.grad().item(), 1e-12);
    }

    @Test
    void nonScalarBackwardWithoutSeedIsRefused() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requireGrad();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mul(x).backward());
        assertTrue(e.getMessage().contains("not a scalar"), e.getMessage());
    }

    @Test
    void gradCheckRefusesFloat32WithReason() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(xs -> xs[0].mul(xs[0]), x));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void gradCheckCatchesAWrongDerivative() {
        Tensor x = Tensor.of(new double[] {0.3, -0.7, 1.1}, 3);
        // a deliberately wrong op: value x², claimed derivative 3x
        GradCheck.Result r = GradCheck.check(xs -> Graph.record("bad_square",
                xs[0].value().mul(xs[0].value()), g -> new Tensor[] {g.mul(xs[0]).mul(3.0)}, xs[0]), x);
        assertFalse(r.passed(), r.toString());
    }

    @Test
    void arenaFreesIntermediatesButKeepsLeafGradients() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requireGrad();
        Tensor kept;
        Tensor inner;
        try (Arena arena = Arena.open()) {
            inner = w.matmul(w);
            Tensor loss = inner.sum();
            loss.backward();
            kept = arena.keep(loss.mul(2.0));
            assertTrue(arena.trackedCount() > 0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, inner::value);
        assertTrue(e.getMessage().contains("Arena"), e.getMessage());
        assertEquals(2 * (7 + 10 + 15 + 22), kept.item(), 1e-4);
        assertEquals(4, w.grad().numel());
        w.grad().value(); // still usable
    }
}
