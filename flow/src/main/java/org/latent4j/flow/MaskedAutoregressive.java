package org.latent4j.flow;

import java.util.List;
import org.latent4j.core.nn.Init;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * One layer of a masked autoregressive flow (Papamakarios et al. 2017): a {@link Made} gives, for each
 * dimension i, a shift μ_i and a log-scale α_i from x_1..x_{i−1}, and
 * <pre>  z_i = (x_i − μ_i(x_{<i}))·exp(−α_i(x_{<i})),   log|det J| = −Σ α_i.</pre>
 * The density direction takes one pass of the network (fast training); the inverse
 * {@code x_i = z_i·exp(α_i) + μ_i} must be computed one dimension after another, D passes (slow sampling).
 * α is softly clamped, {@code α = c·tanh(raw/c)}; MADE's output layer starts at zero, so a new layer is the
 * identity. Children: {@code made}.
 */
public final class MaskedAutoregressive extends Bijector {
    private final Made made;
    private final double scaleClamp;

    public MaskedAutoregressive(Made made, double scaleClamp) {
        if (made == null || made.outputsPerInput() != 2) {
            throw new IllegalArgumentException("MaskedAutoregressive: needs a Made with 2 outputs per input (shift, "
                    + "log-scale), got " + (made == null ? "null" : made.outputsPerInput()));
        }
        if (!(scaleClamp > 0) || Double.isInfinite(scaleClamp)) {
            throw new IllegalArgumentException("MaskedAutoregressive: scaleClamp must be positive and finite, got "
                    + scaleClamp);
        }
        this.made = registerModule("made", made);
        this.scaleClamp = scaleClamp;
    }

    /** A layer over {@code dim} features with MADE hidden widths {@code hidden}; the output layer starts at zero. */
    public static MaskedAutoregressive of(int dim, int[] hidden, double scaleClamp, DType dtype, Rng rng) {
        Made made = new Made(dim, hidden, 2, dtype, rng);
        Init.zeros(made.outputLayer().weight());
        Init.zeros(made.outputLayer().bias());
        return new MaskedAutoregressive(made, scaleClamp);
    }

    /** μ and α from the conditioning input, each (B, D). */
    private Tensor[] shiftAndLogScale(Tensor x) {
        List<Tensor> parts = Shapes.chunk(made.forward(x), 2, 1);
        Tensor alpha = Elementwise.mul(Activations.tanh(Elementwise.mul(parts.get(1), 1 / scaleClamp)), scaleClamp);
        return new Tensor[] {parts.get(0), alpha};
    }

    @Override
    public Output forward(Tensor x) {
        check("forward", x);
        Tensor[] ma = shiftAndLogScale(x);
        Tensor z = Elementwise.mul(Elementwise.sub(x, ma[0]), Elementwise.exp(Elementwise.neg(ma[1])));
        return new Output(z, Elementwise.neg(sumPerExample(ma[1])));
    }

    /**
     * D passes: after pass i the first i dimensions of x are exact (they depend only on earlier ones), so the
     * last pass gives all of them.
     */
    @Override
    public Tensor inverse(Tensor z) {
        check("inverse", z);
        int d = made.dim();
        Tensor x = Tensor.zeros(z.dtype(), z.shape());
        for (int i = 0; i < d; i++) {
            Tensor[] ma = shiftAndLogScale(x);
            Tensor next = Elementwise.add(Elementwise.mul(z, Elementwise.exp(ma[1])), ma[0]);
            double[] upto = new double[d];
            for (int j = 0; j <= i; j++) {
                upto[j] = 1;
            }
            Tensor keepNew = Tensor.of(upto, 1, d).to(z.dtype());
            x = Elementwise.where(keepNew, next, x);
        }
        return x;
    }

    private void check(String op, Tensor x) {
        if (x.rank() != 2 || x.size(1) != made.dim()) {
            throw new IllegalArgumentException("MaskedAutoregressive." + op + ": input " + Shape.format(x.shape())
                    + " must be (B, " + made.dim() + ")");
        }
    }

    public Made made() {
        return made;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + made.dim() + ", scaleClamp=" + scaleClamp;
    }
}
