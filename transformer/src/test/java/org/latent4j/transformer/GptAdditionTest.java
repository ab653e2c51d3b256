package org.latent4j.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.data.AdditionTask;
import org.latent4j.core.data.CharTokenizer;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.LrSchedule;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Quality: a tiny GPT learns 2-digit addition ("12+34=046") from the core's built-in task and answers
 * held-out problems, never seen in training, by greedy decoding. Loss is taken on the answer digits only.
 *
 * <p>In the default suite since 2026-11-29: it passed in 153 s (800 steps and the held-out evaluation) on the
 * 2-core build machine at load average 3-5, after matmul stopped broadcasting a Linear weight over the batch.
 * The same model, recipe and held-out rule in PyTorch reach 100% exact match (600 steps: 95.3%).
 */
class GptAdditionTest {
    private static final AdditionTask TASK = new AdditionTask(2);
    private static final int STEPS = 800;
    private static final int BATCH = 64;

    /** A random tenth of the 10,000 problems, never trained on (every digit pair still occurs in training). */
    private static final boolean[] HELD_OUT = new boolean[10_000];

    static {
        Rng rng = new Rng(2024);
        int chosen = 0;
        while (chosen < 1000) {
            int i = rng.nextInt(10_000);
            if (!HELD_OUT[i]) {
                HELD_OUT[i] = true;
                chosen++;
            }
        }
    }

    private static boolean heldOut(int a, int b) {
        return HELD_OUT[a * 100 + b];
    }

    @Test
    void tinyGptLearnsTwoDigitAdditionToNinetyFivePercentOnHeldOutProblems() {
        CharTokenizer tok = TASK.tokenizer();
        int len = TASK.length();
        int answer = TASK.answerStart();
        GptConfig config = new GptConfig(tok.vocabSize(), len - 1, 2, 4, 64, 0.0, 0.0, PositionEncoding.LEARNED,
                DType.FLOAT32);
        Rng rng = new Rng(7);
        Gpt model = new Gpt(config, rng);
        AdamW opt = model.adamW(AdamW.defaults().withLr(3e-3).withBetas(0.9, 0.98).withWeightDecay(0.01));
        LrSchedule schedule = LrSchedule.warmupCosine(50, STEPS, 3e-4);
        List<int[]> train = new ArrayList<>();
        for (int a = 0; a < 100; a++) {
            for (int b = 0; b < 100; b++) {
                if (!heldOut(a, b)) {
                    train.add(new int[] {a, b});
                }
            }
        }
        for (int step = 0; step < STEPS; step++) {
            long[] x = new long[BATCH * (len - 1)];
            long[] y = new long[BATCH * (len - 1)];
            for (int i = 0; i < BATCH; i++) {
                int[] p = train.get(rng.nextInt(train.size()));
                long[] ids = tok.encode(TASK.format(p[0], p[1]));
                for (int t = 0; t < len - 1; t++) {
                    x[i * (len - 1) + t] = ids[t];
                    // Only the answer digits are predicted: earlier targets are ignored.
                    y[i * (len - 1) + t] = t + 1 >= answer ? ids[t + 1] : Losses.DEFAULT_IGNORE_INDEX;
                }
            }
            try (Arena arena = Arena.open()) {
                Tensor logits = model.forward(Tensor.ofLongs(x, BATCH, len - 1));
                Tensor loss = Losses.crossEntropy(logits.reshape(-1, config.vocabSize()), Tensor.ofLongs(y, BATCH * (len - 1)),
                        Losses.DEFAULT_IGNORE_INDEX, 0.0);
                opt.setLr(schedule, step);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
        double accuracy = heldOutAccuracy(model, tok);
        assertTrue(accuracy >= 0.95, "held-out exact match " + accuracy);
    }

    /** Greedy decoding of the answer digits of every held-out problem, all at once (one batch per digit). */
    private static double heldOutAccuracy(Gpt model, CharTokenizer tok) {
        model.eval();
        List<String> problems = new ArrayList<>();
        for (int a = 0; a < 100; a++) {
            for (int b = 0; b < 100; b++) {
                if (heldOut(a, b)) {
                    problems.add(TASK.format(a, b));
                }
            }
        }
        int n = problems.size();
        int answer = TASK.answerStart();
        long[][] seqs = new long[n][];
        for (int i = 0; i < n; i++) {
            seqs[i] = tok.encode(problems.get(i));
        }
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (int pos = answer; pos < TASK.length(); pos++) {
                long[] x = new long[n * pos];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(seqs[i], 0, x, i * pos, pos);
                }
                try (Arena arena = Arena.open()) {
                    float[] logits = model.forward(Tensor.ofLongs(x, n, pos)).toFloatArray();   // (n, pos, V)
                    int v = model.config().vocabSize();
                    for (int i = 0; i < n; i++) {
                        int base = (i * pos + pos - 1) * v;
                        int best = 0;
                        for (int c = 1; c < v; c++) {
                            if (logits[base + c] > logits[base + best]) {
                                best = c;
                            }
                        }
                        seqs[i][pos] = best;   // the model's digit replaces the true one for what follows
                    }
                }
            }
        }
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += tok.decode(seqs[i]).equals(problems.get(i)) ? 1 : 0;
        }
        return right / (double) n;
    }
}
