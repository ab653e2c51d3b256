package org.latent4j.vae;

/**
 * The decoder's distribution p(x | z) over pixels, each pixel independent given z. The decoder outputs one
 * number per pixel: the logit of a Bernoulli, or the mean of a Gaussian whose variance is fixed or learned
 * (one log-variance per pixel, shared by all examples).
 */
public enum Likelihood {
    /** x ~ Bernoulli(σ(logit)), pixels in [0, 1]; log p = −Σ [softplus(l) − x·l] (BCE with logits, summed). */
    BERNOULLI,
    /** x ~ N(mean, σ²) with σ = {@link VaeConfig#outputStd()} fixed. */
    GAUSSIAN_FIXED,
    /** x ~ N(mean, σ²) with log σ² a trained parameter per pixel, starting at log {@link VaeConfig#outputStd()}². */
    GAUSSIAN_LEARNED;

    public boolean isGaussian() {
        return this != BERNOULLI;
    }
}
