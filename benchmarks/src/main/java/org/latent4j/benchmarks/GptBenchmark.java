package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.GradClip;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.transformer.Gpt;
import org.latent4j.transformer.GptConfig;
import org.latent4j.transformer.GptDecoder;
import org.latent4j.transformer.sampling.Sampler;
import org.latent4j.transformer.sampling.SamplingOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baby GPT (4 layers, 4 heads, 128 wide, block 64, 65 tokens) as {@code benchmarks/pytorch/gpt_twin.py} builds
 * it: one training step (forward, backward, gradient clipping at 1.0, AdamW) on a batch of 12 × 64 tokens, and
 * greedy KV-cache decoding of 256 new tokens from a one-token prompt (the cache refilled from the last 32 tokens
 * whenever the 64-position block is full, as the twin does), and the same 256 tokens without the cache. Decoding
 * is reported as time per 256 tokens, so lower is better on every row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GptBenchmark {
    static final int BATCH = 12;
    static final int NEW_TOKENS = 256;

    private Gpt model;
    private AdamW optimizer;
    private long[] x;
    private long[] y;

    @Setup(Level.Trial)
    public void setup() {
        GptConfig config = GptConfig.baby().withVocabSize(65);
        Rng rng = new Rng(0);
        model = new Gpt(config, rng);
        optimizer = model.adamW(AdamW.defaults().withLr(1e-3).withBetas(0.9, 0.99).withWeightDecay(0.1));
        int t = config.blockSize();
        x = new long[BATCH * t];
        y = new long[BATCH * t];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(config.vocabSize());
            y[i] = rng.nextInt(config.vocabSize());
        }
        // JIT warm-up beyond JMH's: measured on the 2-core machine, a step kept getting faster for ~20 s
        // (1,075 → 370 → 247 → 223 → 179 → 154 → 127 → 121 ms per 3 s iteration) while C2 compiled the Vector API
        // kernels, longer than --quick's 2 × 1 s warm-up. A training run takes thousands of steps, so the
        // steady state is what to compare with PyTorch, which has no JIT.
        for (int i = 0; i < WARMUP_STEPS; i++) {
            trainStep();
        }
        for (int i = 0; i < WARMUP_DECODES; i++) {
            decodeKvCache();
        }
    }

    static final int WARMUP_STEPS = 150;
    static final int WARMUP_DECODES = 4;

    @Benchmark
    public double trainStep() {
        int t = model.config().blockSize();
        model.train();
        try (Arena step = Arena.open()) {
            Tensor loss = model.loss(Tensor.ofLongs(x, BATCH, t), Tensor.ofLongs(y, BATCH, t));
            optimizer.zeroGrad();
            loss.backward();
            GradClip.clipGradNorm(model.parameters(), 1.0);
            optimizer.step();
            return loss.item();
        }
    }

    @Benchmark
    public int[] decodeKvCache() {
        return decode(GptDecoder.Caching.KV_CACHE);
    }

    /** The same decoding without the cache: every new token runs the model over the whole (≤ 64-token) context. */
    @Benchmark
    public int[] decodeRecompute() {
        return decode(GptDecoder.Caching.NONE);
    }

    private int[] decode(GptDecoder.Caching caching) {
        model.eval();
        try (GradMode.Scope ng = GradMode.noGrad()) {
            return Sampler.generate(model.decoder(caching), new int[] {1}, SamplingOptions.greedy(NEW_TOKENS),
                    new Rng(1));
        }
    }
}
