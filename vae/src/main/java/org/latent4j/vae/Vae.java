package org.latent4j.vae;

import java.util.Arrays;
import org.latent4j.core.nn.Init;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.ops.Random;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A variational autoencoder (Kingma and Welling, 2014): an {@link Encoder} maps an image x to q(z | x) =
 * N(μ, diag σ²), a latent is drawn by reparameterization z = μ + ε·σ (ε ~ N(0, I) from an explicit
 * {@link Rng}), and a {@link Decoder} maps z to the parameters of p(x | z) (the {@link Likelihood}). Training
 * maximises the evidence lower bound
 * <pre>  ELBO(x) = E_q[log p(x | z)] − KL(q(z | x) ‖ N(0, I)) ≤ log p(x)</pre>
 * with the KL in closed form; β weights the KL (β-VAE, Higgins et al. 2017). With
 * {@link VaeConfig#numClasses()} &gt; 0 it is a conditional VAE (Sohn et al. 2015): the class's one-hot vector
 * is appended to the encoder's and the decoder's inputs. {@link #importanceWeighted} gives the tighter bound
 * of Burda et al. (2016), the usual estimate of log p(x).
 *
 * <p>Images are (B, C, H, W); labels are int64 (B) for a conditional model and null otherwise. Parameters:
 * {@code encoder.*}, {@code decoder.*} and, for {@link Likelihood#GAUSSIAN_LEARNED}, {@code outputLogVar}
 * (C, H, W).
 */
public final class Vae extends Module {
    private final VaeConfig config;
    private final DType dtype;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Tensor outputLogVar;
    private final Tensor eye;

    public Vae(VaeConfig config, Rng rng) {
        this(config, DType.FLOAT32, rng);
    }

    public Vae(VaeConfig config, DType dtype, Rng rng) {
        if (config == null || rng == null) {
            throw new IllegalArgumentException("Vae: config and rng must not be null");
        }
        this.config = config;
        this.dtype = dtype;
        ParamOptions o = ParamOptions.defaults().withDType(dtype);
        boolean conv = config.architecture() == Architecture.CONV;
        encoder = registerModule("encoder", conv ? new ConvEncoder(config, o, rng) : new MlpEncoder(config, o, rng));
        decoder = registerModule("decoder", conv ? new ConvDecoder(config, o, rng) : new MlpDecoder(config, o, rng));
        double logVar0 = 2 * Math.log(config.outputStd());
        outputLogVar = config.likelihood() == Likelihood.GAUSSIAN_LEARNED
                ? registerParameter("outputLogVar", Init.constant(allocate(dtype, config.channels(), config.height(),
                        config.width()), logVar0))
                : config.likelihood() == Likelihood.GAUSSIAN_FIXED ? Tensor.scalar(dtype, logVar0) : null;
        eye = config.numClasses() == 0 ? null : identity(config.numClasses(), dtype);
    }

    public VaeConfig config() {
        return config;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Decoder decoder() {
        return decoder;
    }

    /** q(z | x) for images (B, C, H, W). */
    public DiagonalGaussian encode(Tensor x, Tensor labels) {
        checkImages("encode", x);
        return encoder.forward(x, condition("encode", labels, x.size(0)));
    }

    /** The parameters of p(x | z) for latents (B, L): logits or means, (B, C, H, W). */
    public Tensor decode(Tensor z, Tensor labels) {
        if (z.rank() != 2 || z.size(1) != config.latentDim()) {
            throw new IllegalArgumentException("Vae.decode: z " + Shape.format(z.shape()) + " must be (B, "
                    + config.latentDim() + ")");
        }
        return decoder.forward(z, condition("decode", labels, z.size(0)));
    }

    /** The mean of p(x | z) from the decoder's output: σ(logits) for Bernoulli pixels, the output itself otherwise. */
    public Tensor mean(Tensor decoded) {
        return config.likelihood() == Likelihood.BERNOULLI ? Activations.sigmoid(decoded) : decoded;
    }

    /** log p(x | z) per example, from the decoder's output for z: (B). */
    public Tensor logLikelihood(Tensor x, Tensor decoded) {
        return config.likelihood() == Likelihood.BERNOULLI ? LogDensity.bernoulli(decoded, x)
                : LogDensity.gaussian(x, decoded, outputLogVar);
    }

    /** The ELBO's terms with a given noise ε (B, L): z = μ + ε·σ. */
    public Elbo elbo(Tensor x, Tensor labels, Tensor eps) {
        DiagonalGaussian q = encode(x, labels);
        if (!Arrays.equals(eps.shape(), q.mu().shape())) {
            throw new IllegalArgumentException("Vae.elbo: eps " + Shape.format(eps.shape()) + " must be "
                    + Shape.format(q.mu().shape()));
        }
        Tensor z = q.sample(eps);                                       // (B, L)
        return new Elbo(logLikelihood(x, decode(z, labels)), q.klToStandardNormal());
    }

    /** The ELBO's terms with ε drawn from {@code rng}. */
    public Elbo elbo(Tensor x, Tensor labels, Rng rng) {
        return elbo(x, labels, Random.randn(rng, x.dtype(), x.size(0), config.latentDim()));
    }

    /** The training loss: mean of −log p(x | z) + β·KL with this config's β. */
    public Tensor loss(Tensor x, Tensor labels, Rng rng) {
        return elbo(x, labels, rng).loss(config.beta());
    }

    /**
     * The importance-weighted bound of Burda et al. with K = eps.size(0) draws per example:
     * <pre>  log p(x) ≈ logsumexp_k [log p(x | z_k) + log p(z_k) − log q(z_k | x)] − log K,  z_k = μ + ε_k·σ</pre>
     * for noise ε (K, B, L); returns one estimate per example (B). It is a lower bound on log p(x) that equals
     * the (single-sample) ELBO in expectation at K = 1 and tightens as K grows. The K·B decodes run as one batch.
     */
    public Tensor importanceWeighted(Tensor x, Tensor labels, Tensor eps) {
        DiagonalGaussian q = encode(x, labels);
        long b = x.size(0);
        if (eps.rank() != 3 || eps.size(1) != b || eps.size(2) != config.latentDim()) {
            throw new IllegalArgumentException("Vae.importanceWeighted: eps " + Shape.format(eps.shape())
                    + " must be (K, " + b + ", " + config.latentDim() + ")");
        }
        long k = eps.size(0);
        Tensor z = q.sample(eps);                                                       // (K, B, L)
        Tensor flatZ = z.reshape(k * b, config.latentDim());                            // (K·B, L)
        Tensor repeatedLabels = labels == null ? null : repeatLabels(labels, k);        // (K·B)
        Tensor repeatedX = Shapes.repeat(x, k, 1, 1, 1);                                 // (K·B, C, H, W)
        Tensor logPxz = logLikelihood(repeatedX, decode(flatZ, repeatedLabels)).reshape(k, b);   // (K, B)
        Tensor logW = logPxz.add(LogDensity.standardNormal(z)).sub(q.logProb(z));      // (K, B)
        return Reductions.logSumExp(logW, new int[] {0}, false).sub(Math.log(k));      // (B)
    }

    /** {@link #importanceWeighted(Tensor, Tensor, Tensor)} with K draws of ε from {@code rng}. */
    public Tensor importanceWeighted(Tensor x, Tensor labels, int k, Rng rng) {
        if (k < 1) {
            throw new IllegalArgumentException("Vae.importanceWeighted: k must be at least 1, got " + k);
        }
        return importanceWeighted(x, labels, Random.randn(rng, x.dtype(), k, x.size(0), config.latentDim()));
    }

    /** The mean of p(x | z) at z = μ(x): a deterministic reconstruction (B, C, H, W). */
    public Tensor reconstruct(Tensor x, Tensor labels) {
        return mean(decode(encode(x, labels).mu(), labels));
    }

    /** {@code n} images: means of p(x | z) at z ~ N(0, I); labels (n) for a conditional model, else null. */
    public Tensor sample(int n, Tensor labels, Rng rng) {
        if (n < 1) {
            throw new IllegalArgumentException("Vae.sample: n must be positive, got " + n);
        }
        return mean(decode(Random.randn(rng, dtype, n, config.latentDim()), labels));
    }

    /** The one-hot rows (B, K) of int64 labels (B), or null for an unconditional model (which takes no labels). */
    Tensor condition(String op, Tensor labels, long batch) {
        if (config.numClasses() == 0) {
            if (labels != null) {
                throw new IllegalArgumentException("Vae." + op + ": labels given to an unconditional VAE "
                        + "(numClasses = 0)");
            }
            return null;
        }
        if (labels == null) {
            throw new IllegalArgumentException("Vae." + op + ": a conditional VAE (numClasses = " + config.numClasses()
                    + ") needs int64 labels (" + batch + ")");
        }
        if (labels.dtype() != DType.INT64 || labels.rank() != 1 || labels.size(0) != batch) {
            throw new IllegalArgumentException("Vae." + op + ": labels " + labels.dtype() + " "
                    + Shape.format(labels.shape()) + " must be int64 (" + batch + ")");
        }
        for (long y : labels.toLongArray()) {
            if (y < 0 || y >= config.numClasses()) {
                throw new IllegalArgumentException("Vae." + op + ": label " + y + " is outside [0, "
                        + config.numClasses() + ")");
            }
        }
        return Indexing.indexSelect(eye, 0, labels);                                    // (B, K)
    }

    private void checkImages(String op, Tensor x) {
        long[] want = {x.rank() > 0 ? x.size(0) : -1, config.channels(), config.height(), config.width()};
        if (x.rank() != 4 || !Arrays.equals(x.shape(), want)) {
            throw new IllegalArgumentException("Vae." + op + ": x " + Shape.format(x.shape()) + " must be (B, "
                    + config.channels() + ", " + config.height() + ", " + config.width() + ")");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("Vae." + op + ": x is " + x.dtype() + ", the model is " + dtype);
        }
    }

    /** Labels (B) tiled K times, in the order of the (K·B) flattened draws: (K·B). */
    private static Tensor repeatLabels(Tensor labels, long k) {
        long[] y = labels.toLongArray();
        long[] out = new long[(int) (k * y.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = y[i % y.length];
        }
        return Tensor.ofLongs(out, out.length);
    }

    private static Tensor identity(int k, DType dtype) {
        double[] d = new double[k * k];
        for (int i = 0; i < k; i++) {
            d[i * k + i] = 1;
        }
        return Tensor.of(d, k, k).to(dtype);
    }

    @Override
    protected String extraRepr() {
        return config.toString();
    }
}
