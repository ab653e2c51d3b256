package org.latent4j.nerf;

import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The quadrature of the volume rendering integral (Mildenhall et al. 2020, eq. 3), differentiable with respect
 * to the densities σ and colours c: αᵢ = 1 − exp(−σᵢδᵢ), transmittance Tᵢ = Π_{j < i}(1 − αⱼ) = exp(−Σ_{j < i} σⱼδⱼ)
 * (an exclusive running sum, which stays accurate where a product of many (1 − α) would underflow), weights
 * wᵢ = Tᵢαᵢ, colour Σwᵢcᵢ + (1 − Σwᵢ)·background, expected depth Σwᵢtᵢ and opacity Σwᵢ.
 */
public final class VolumeRendering {
    /** Per ray: colour (N, 3), expected depth (N), opacity (N) and the weights (N, S) the fine pass samples from. */
    public record Rendered(Tensor rgb, Tensor depth, Tensor opacity, Tensor weights) {
    }

    private VolumeRendering() {
    }

    /** σ (N, S), c (N, S, 3), t and δ of the samples → the rendered rays. */
    public static Rendered render(Tensor sigma, Tensor rgb, RaySamples samples, Background background) {
        int n = samples.numRays();
        int s = samples.perRay();
        Tensor t = Rays.toTensor(samples.t(), sigma.dtype(), n, s);
        Tensor deltas = Rays.toTensor(samples.deltas(), sigma.dtype(), n, s);
        return render(sigma, rgb, t, deltas, background);
    }

    /** σ (N, S), c (N, S, 3), t (N, S), δ (N, S) → the rendered rays. */
    public static Rendered render(Tensor sigma, Tensor rgb, Tensor t, Tensor deltas, Background background) {
        if (background == null) {
            throw new IllegalArgumentException("VolumeRendering: background must not be null");
        }
        if (sigma.rank() != 2) {
            throw new IllegalArgumentException("VolumeRendering: sigma " + Shape.format(sigma.shape())
                    + " must be (N, S)");
        }
        long n = sigma.size(0);
        long s = sigma.size(1);
        if (rgb.rank() != 3 || rgb.size(0) != n || rgb.size(1) != s || rgb.size(2) != 3) {
            throw new IllegalArgumentException("VolumeRendering: rgb " + Shape.format(rgb.shape()) + " must be ("
                    + n + "," + s + ",3) to match sigma " + Shape.format(sigma.shape()));
        }
        if (!java.util.Arrays.equals(t.shape(), sigma.shape()) || !java.util.Arrays.equals(deltas.shape(),
                sigma.shape())) {
            throw new IllegalArgumentException("VolumeRendering: t " + Shape.format(t.shape()) + " and deltas "
                    + Shape.format(deltas.shape()) + " must match sigma " + Shape.format(sigma.shape()));
        }
        Tensor optical = Elementwise.mul(sigma, deltas);                              // σδ (N, S)
        Tensor alpha = Elementwise.add(Elementwise.neg(Elementwise.exp(Elementwise.neg(optical))), 1.0);
        Tensor before = Elementwise.sub(Reductions.cumsum(optical, 1), optical);      // Σ_{j < i} σδ (N, S)
        Tensor transmittance = Elementwise.exp(Elementwise.neg(before));              // (N, S)
        Tensor weights = Elementwise.mul(transmittance, alpha);                       // (N, S)
        Tensor color = Reductions.sum(Elementwise.mul(Shapes.unsqueeze(weights, 2), rgb), new int[] {1}, false); // (N, 3)
        Tensor opacity = Reductions.sum(weights, new int[] {1}, false);                // (N)
        Tensor depth = Reductions.sum(Elementwise.mul(weights, t), new int[] {1}, false); // (N)
        if (background.value() != 0) {
            Tensor rest = Elementwise.add(Elementwise.neg(opacity), 1.0);              // (N)
            color = Elementwise.add(color, Elementwise.mul(Shapes.unsqueeze(rest, 1), background.value())); // (N, 3)
        }
        return new Rendered(color, depth, opacity, weights);
    }
}
