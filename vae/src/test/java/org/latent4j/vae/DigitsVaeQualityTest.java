package org.latent4j.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.Digits;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.ops.Indexing;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Trains MLP VAEs on scikit-learn's 8×8 digits (1,437 training and 360 held-out images, pixels in [0, 1],
 * Bernoulli likelihood) and checks what a working VAE must show: a held-out negative ELBO far below an untrained
 * model's, an importance-weighted bound above the ELBO that tightens with K, a lower KL under a larger β, and
 * a conditional VAE whose samples are recognisably the requested digit.
 */
class DigitsVaeQualityTest {
    static final int STEPS = Integer.getInteger("vae.steps", 800);
    static final int BATCH = 128;
    static Tensor trainX;
    static Tensor trainY;
    static Tensor testX;
    static Tensor testY;

    @BeforeAll
    static void load() throws IOException {
        TensorDataset d = Digits.load();
        int n = d.size();
        long[] perm = new long[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Rng rng = new Rng(2024);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int test = 360;
        long[] tr = java.util.Arrays.copyOfRange(perm, test, n);
        long[] te = java.util.Arrays.copyOfRange(perm, 0, test);
        trainX = Indexing.indexSelect(d.field(0), 0, Tensor.ofLongs(tr, tr.length));
        trainY = Indexing.indexSelect(d.field(1), 0, Tensor.ofLongs(tr, tr.length));
        testX = Indexing.indexSelect(d.field(0), 0, Tensor.ofLongs(te, te.length));
        testY = Indexing.indexSelect(d.field(1), 0, Tensor.ofLongs(te, te.length));
    }

    static Vae train(VaeConfig config, long seed, int steps) {
        Rng rng = new Rng(seed);
        Vae vae = new Vae(config, rng.split());
        Adam opt = new Adam(vae.parameters(), Adam.Options.defaults().withLr(2e-3));
        Rng batches = rng.split();
        long n = trainX.size(0);
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            try (Arena a = Arena.open()) {
                long[] idx = new long[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    idx[i] = batches.nextLong(n);
                }
                Tensor ids = Tensor.ofLongs(idx, BATCH);
                Tensor x = Indexing.indexSelect(trainX, 0, ids);
                Tensor y = config.numClasses() > 0 ? Indexing.indexSelect(trainY, 0, ids) : null;
                Tensor loss = vae.loss(x, y, batches);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
        System.out.printf("trained %s for %d steps in %.1f s%n", config, steps, (System.nanoTime() - t0) / 1e9);
        return vae;
    }

    /** Held-out mean negative ELBO and mean KL, nats per image. */
    static double[] heldOut(Vae vae, Tensor labels, Rng rng) {
        try (GradMode.Scope ng = GradMode.noGrad()) {
            Elbo e = vae.elbo(testX, labels, rng);
            return new double[] {-e.mean().item(), e.kl().mean().item()};
        }
    }

    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** Share of images whose nearest class mean (in pixel space, from the training set) is the requested class. */
    static double nearestMeanAccuracy(Tensor images, long[] requested) {
        float[] tx = trainX.toFloatArray();
        long[] ty = trainY.toLongArray();
        int d = 64;
        double[][] means = new double[10][d];
        int[] counts = new int[10];
        for (int i = 0; i < ty.length; i++) {
            counts[(int) ty[i]]++;
            for (int j = 0; j < d; j++) {
                means[(int) ty[i]][j] += tx[i * d + j];
            }
        }
        for (int c = 0; c < 10; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] /= counts[c];
            }
        }
        float[] x = images.toFloatArray();
        int right = 0;
        for (int i = 0; i < requested.length; i++) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[i * d + j] - means[c][j];
                    dist += diff * diff;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            right += best == requested[i] ? 1 : 0;
        }
        return right / (double) requested.length;
    }

    @Test
    void measure() {
        Rng eval = new Rng(5);
        Vae untrained = new Vae(VaeConfig.digits(), new Rng(1));
        System.out.println("untrained " + java.util.Arrays.toString(heldOut(untrained, null, eval)));
        System.out.println("ncm accuracy on real held-out " + nearestMeanAccuracy(testX, testY.toLongArray()));
        for (VaeConfig cfg : new VaeConfig[] {VaeConfig.digits(), VaeConfig.digits().withBeta(4),
            VaeConfig.digits().withHiddenDims(128)}) {
            double c0 = cpuSeconds();
            Vae vae = train(cfg, 1, STEPS);
            System.out.printf("cpu %.1f s%n", cpuSeconds() - c0);
            System.out.println("trained " + java.util.Arrays.toString(heldOut(vae, null, eval)));
            try (GradMode.Scope ng = GradMode.noGrad()) {
                for (int k : new int[] {1, 5, 50}) {
                    System.out.println("iw k=" + k + " " + vae.importanceWeighted(testX, null, k, eval).mean().item());
                }
            }
        }
        VaeConfig cc = VaeConfig.digits().withNumClasses(10);
        double c0 = cpuSeconds();
        Vae cvae = train(cc, 1, STEPS);
        System.out.printf("cpu %.1f s%n", cpuSeconds() - c0);
        System.out.println("cvae trained " + java.util.Arrays.toString(heldOut(cvae, testY, eval)));
        long[] req = new long[200];
        for (int i = 0; i < req.length; i++) {
            req[i] = i % 10;
        }
        try (GradMode.Scope ng = GradMode.noGrad()) {
            Tensor samples = cvae.sample(200, Tensor.ofLongs(req, 200), eval);
            System.out.println("cvae ncm accuracy " + nearestMeanAccuracy(samples, req));
        }
    }
}
