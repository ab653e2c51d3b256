/*
 * GPT: a character-level GPT language model trained on text, then sampled.
 *
 * Trains org.latent4j.transformer.Gpt with nanoGPT's CPU recipe for the "baby" preset (AdamW lr 1e-3 with 100
 * warmup steps and cosine decay to 1e-4, betas 0.9/0.99, weight decay 0.1 on matrices only, gradient clipping
 * at 1.0, batch 12, no dropout) on a text file, the corpus bundled with the library, Debian's fortunes, or the
 * built-in 2-digit addition task. The last 10% of the text is the validation split. Writes under the run
 * directory: metrics.json (train_loss, val_loss, tokens_per_second, parameters, steps), metrics.csv, loss.png,
 * checkpoint/ (model, optimizer, RNG, config), tokenizer.json and samples.txt.
 *
 * Run:  ./latent4j gpt train [--corpus FILE | --fortunes | --task addition] [--preset baby] [--max-steps 2000]
 *                            [--seed 1] [--out runs/gpt]
 *       ./latent4j gpt sample --checkpoint runs/gpt --prompt "The " --max-tokens 200 [--temperature 0.8]
 *                             [--top-k 40] [--top-p 0.95] [--seed 1]
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.AdditionTask;
import org.latent4j.core.data.CharTokenizer;
import org.latent4j.core.data.TextCorpus;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.GradClip;
import org.latent4j.core.optim.LrSchedule;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;
import org.latent4j.transformer.Gpt;
import org.latent4j.transformer.GptConfig;
import org.latent4j.transformer.GptDecoder;
import org.latent4j.transformer.sampling.Sampler;
import org.latent4j.transformer.sampling.SamplingOptions;

public final class GptExample {
    private GptExample() {
    }

    /** Where the training text comes from. */
    public enum Source { BUNDLED, FILE, FORTUNES, ADDITION }

    /** Settings of a training run; {@link #defaults()} is the baby preset on the bundled corpus. */
    public record TrainOptions(Source source, Path corpus, String preset, int maxSteps, int batchSize, long seed,
            Path out, Trainer.Progress progress) {
        public TrainOptions {
            if (source == Source.FILE && corpus == null) {
                throw new IllegalArgumentException("gpt train: --corpus FILE is required for a file source");
            }
            if (maxSteps < 1 || batchSize < 1) {
                throw new IllegalArgumentException("gpt train: max-steps and batch size must be >= 1, got " + maxSteps
                        + " and " + batchSize);
            }
            GptExample.preset(preset);
        }

        public static TrainOptions defaults() {
            return new TrainOptions(Source.BUNDLED, null, "baby", 2000, 12, 1, Path.of("runs", "gpt"),
                    Trainer.Progress.BAR);
        }

        public TrainOptions withSteps(int n) {
            return new TrainOptions(source, corpus, preset, n, batchSize, seed, out, progress);
        }
    }

    /** What a run measured, and where its outputs are. */
    public record TrainResult(double trainLoss, double valLoss, double tokensPerSecond, long parameters, long steps,
            Path runDir, String sample) {
    }

    /** The model shape of a preset name (vocabulary size set from the data). */
    public static GptConfig preset(String name) {
        return switch (name) {
            case "tiny" -> GptConfig.tiny();
            case "baby" -> GptConfig.baby();
            case "gpt2-small" -> GptConfig.gpt2Small();
            default -> throw new IllegalArgumentException("gpt: unknown preset '" + name
                    + "' (choose tiny, baby or gpt2-small)");
        };
    }

    static String text(Source source, Path corpus, long seed) {
        try {
            return switch (source) {
                case BUNDLED -> TextCorpus.bundled();
                case FILE -> TextCorpus.read(corpus);
                case FORTUNES -> TextCorpus.fortunes();
                case ADDITION -> {
                    AdditionTask task = new AdditionTask(2);
                    Rng rng = new Rng(seed);
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 20_000; i++) {
                        sb.append(task.sample(rng)).append('\n');
                    }
                    yield sb.toString();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    public static TrainResult train(TrainOptions o) {
        String text = text(o.source(), o.corpus(), o.seed());
        CharTokenizer tok = CharTokenizer.fromText(text);
        long[] ids = tok.encode(text);
        int split = (int) (ids.length * 0.9);
        GptConfig config = preset(o.preset()).withVocabSize(tok.vocabSize());
        int block = config.blockSize();
        if (split <= block + 1 || ids.length - split <= block + 1) {
            throw new IllegalArgumentException("gpt train: the text (" + ids.length + " characters) is too short for "
                    + "a block of " + block);
        }
        Rng rng = new Rng(o.seed());
        Gpt model = new Gpt(config, rng.split());
        AdamW opt = model.adamW(AdamW.defaults().withLr(1e-3).withBetas(0.9, 0.99).withWeightDecay(0.1));
        long warmup = Math.min(100, Math.max(1, o.maxSteps() / 10));
        LrSchedule schedule = o.maxSteps() > warmup ? LrSchedule.warmupCosine(warmup, o.maxSteps(), 1e-4)
                : LrSchedule.linearWarmup(warmup);
        try {
            Files.createDirectories(o.out());
            tok.save(o.out().resolve("tokenizer.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Trainer trainer = new Trainer(Trainer.Options.of(o.out(), o.maxSteps()).withProgress(o.progress())
                .withCheckpointEvery(Math.max(o.maxSteps() / 4, 1)), model, opt, rng, config.toJson());
        int b = o.batchSize();
        long t0 = System.nanoTime();
        Trainer.Result r = trainer.fit(step -> {
            long[] x = new long[b * block];
            long[] y = new long[b * block];
            for (int i = 0; i < b; i++) {
                int start = rng.nextInt(split - block - 1);
                System.arraycopy(ids, start, x, i * block, block);
                System.arraycopy(ids, start + 1, y, i * block, block);
            }
            Tensor loss = model.loss(Tensor.ofLongs(x, b, block), Tensor.ofLongs(y, b, block));
            opt.setLr(schedule, step);
            opt.zeroGrad();
            loss.backward();
            GradClip.clipGradNorm(model.parameters(), 1.0);
            opt.step();
            return Map.of("loss", loss.item());
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        double tokensPerSecond = (r.steps() - r.startStep()) * (double) b * block / seconds;
        double valLoss = validationLoss(model, java.util.Arrays.copyOfRange(ids, split, ids.length));
        double[] losses = trainer.metrics().values("loss");
        double trainLoss = 0;
        int last = Math.min(50, losses.length);
        for (int i = losses.length - last; i < losses.length; i++) {
            trainLoss += losses[i] / last;
        }
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("train_loss", trainLoss);
        eval.put("val_loss", valLoss);
        eval.put("tokens_per_second", tokensPerSecond);
        eval.put("parameters", model.numParameters());
        if (o.source() == Source.ADDITION) {
            eval.put("addition_exact_match", additionAccuracy(model, tok, o.seed() + 1));
        }
        trainer.writeSummary(eval);
        String sample = samples(model, tok, text.substring(split, split + 1), o.seed(), o.out());
        return new TrainResult(trainLoss, valLoss, tokensPerSecond, model.numParameters(), r.steps(), o.out(), sample);
    }

    /**
     * Mean per-token cross-entropy over the whole validation split, in consecutive non-overlapping windows of
     * the block size.
     */
    public static double validationLoss(Gpt model, long[] val) {
        int block = model.config().blockSize();
        int windows = (val.length - 1) / block;
        double total = 0;
        model.eval();
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int w0 = 0; w0 < windows; w0 += 64) {
                int n = Math.min(64, windows - w0);
                long[] x = new long[n * block];
                long[] y = new long[n * block];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(val, (w0 + i) * block, x, i * block, block);
                    System.arraycopy(val, (w0 + i) * block + 1, y, i * block, block);
                }
                try (Arena arena = Arena.open()) {
                    total += model.loss(Tensor.ofLongs(x, n, block), Tensor.ofLongs(y, n, block)).item() * n * block;
                }
            }
        } finally {
            model.train();
        }
        return total / ((double) windows * block);
    }

    /** Exact-match rate of greedy answers to 200 fresh addition problems. */
    static double additionAccuracy(Gpt model, CharTokenizer tok, long seed) {
        AdditionTask task = new AdditionTask(2);
        Rng rng = new Rng(seed);
        int right = 0;
        for (int i = 0; i < 200; i++) {
            String problem = task.sample(rng);
            String prompt = problem.substring(0, task.answerStart());
            int[] answer = Sampler.generate(model.decoder(GptDecoder.Caching.KV_CACHE), toInts(tok.encode(prompt)),
                    SamplingOptions.greedy(task.length() - task.answerStart()), rng);
            right += (prompt + tok.decode(toLongs(answer))).equals(problem) ? 1 : 0;
        }
        return right / 200.0;
    }

    private static String samples(Gpt model, CharTokenizer tok, String prompt, long seed, Path out) {
        Rng rng = new Rng(seed);
        SamplingOptions options = SamplingOptions.sampling(300).withTemperature(0.8).withTopK(40);
        StringBuilder sb = new StringBuilder();
        String first = null;
        for (int i = 0; i < 3; i++) {
            int[] ids = Sampler.generate(model.decoder(GptDecoder.Caching.KV_CACHE), toInts(tok.encode(prompt)),
                    options, rng);
            String s = prompt + tok.decode(toLongs(ids));
            first = first == null ? s : first;
            sb.append("--- sample ").append(i + 1).append(" (temperature 0.8, top-k 40) ---\n").append(s).append("\n\n");
        }
        try {
            Files.writeString(out.resolve("samples.txt"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return first;
    }

    /** Settings of {@code gpt sample}. */
    public record SampleOptions(Path checkpoint, String prompt, int maxTokens, double temperature, int topK,
            double topP, long seed) {
    }

    /** Continues {@code prompt} with a model trained by {@link #train}; returns prompt + continuation. */
    public static String sample(SampleOptions o) throws IOException {
        CheckpointState state = Checkpoint.load(o.checkpoint().resolve(Trainer.CHECKPOINT_DIR));
        CharTokenizer tok = CharTokenizer.load(o.checkpoint().resolve("tokenizer.json"));
        GptConfig config = GptConfig.fromJson(state.config());
        Gpt model = new Gpt(config, new Rng(0));
        model.loadStateDict(state.model(), Module.LoadMode.STRICT);
        String prompt = o.prompt().isEmpty() ? "\n" : o.prompt();
        SamplingOptions options = new SamplingOptions(o.temperature(), o.topK(), o.topP(), o.maxTokens(), new int[0]);
        int[] ids = Sampler.generate(model.decoder(GptDecoder.Caching.KV_CACHE), toInts(tok.encode(prompt)), options,
                new Rng(o.seed()));
        return prompt + tok.decode(toLongs(ids));
    }

    static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    public static void main(String[] args) {
        Cli.runSubcommand("gpt", args);
    }
}
