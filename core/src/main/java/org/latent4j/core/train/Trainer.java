package org.latent4j.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.nn.Module;
import org.latent4j.core.optim.Optimizer;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.viz.Plots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link StepFunction} for a number of steps and does the bookkeeping every example needs: each step
 * inside its own {@link Arena} (its tensors freed when it returns), a progress bar with the loss and steps per
 * second, an SLF4J log line every {@code logEvery} steps, metrics appended to {@code metrics.csv}, a checkpoint
 * (model, optimizer, RNG state, step, config) every {@code checkpointEvery} steps and at the end, and on
 * {@link Resume#LATEST} a restart from the checkpoint in the run directory that continues the same trajectory.
 * At the end it writes {@code metrics.json} and {@code loss.png}.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(Trainer.Options.of(runDir, 1000), model, optimizer, rng, config);
 * Trainer.Result r = trainer.fit(step -> {
 *     Tensor loss = Losses.mse(model.forward(x), y);
 *     optimizer.zeroGrad();
 *     loss.backward();
 *     optimizer.step();
 *     return Map.of("loss", loss.item());
 * });
 * }</pre>
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Folder of the run directory that holds the latest checkpoint. */
    public static final String CHECKPOINT_DIR = "checkpoint";

    /** Whether {@link #fit} starts over or continues from the run directory's checkpoint, if there is one. */
    public enum Resume { FRESH, LATEST }

    /**
     * Whether {@link #fit} draws a progress bar on stderr: {@code BAR} draws it when the JVM has a console
     * (an interactive terminal) and leaves it out when output goes to a file or a CI log, where the periodic
     * log lines say the same without a screenful of carriage returns.
     */
    public enum Progress { BAR, NONE }

    /**
     * @param runDir          where metrics, checkpoint and pictures go
     * @param steps           total number of steps of the run (a resumed run stops at the same total)
     * @param checkpointEvery save a checkpoint every this many steps and at the end; 0 never saves
     * @param logEvery        log a line every this many steps; 0 logs only the start and the end
     */
    public record Options(Path runDir, long steps, long checkpointEvery, long logEvery, Resume resume,
            Progress progress) {
        public Options {
            if (runDir == null || resume == null || progress == null) {
                throw new IllegalArgumentException("Trainer.Options: runDir, resume and progress must not be null");
            }
            if (steps < 0 || checkpointEvery < 0 || logEvery < 0) {
                throw new IllegalArgumentException("Trainer.Options: steps, checkpointEvery and logEvery must be >= 0, got "
                        + steps + ", " + checkpointEvery + ", " + logEvery);
            }
        }

        /** {@code steps} steps, no checkpoints, a log line every tenth of the run, fresh start, progress bar. */
        public static Options of(Path runDir, long steps) {
            return new Options(runDir, steps, 0, Math.max(1, steps / 10), Resume.FRESH, Progress.BAR);
        }

        public Options withCheckpointEvery(long n) {
            return new Options(runDir, steps, n, logEvery, resume, progress);
        }

        public Options withLogEvery(long n) {
            return new Options(runDir, steps, checkpointEvery, n, resume, progress);
        }

        public Options withResume(Resume r) {
            return new Options(runDir, steps, checkpointEvery, logEvery, r, progress);
        }

        public Options withProgress(Progress p) {
            return new Options(runDir, steps, checkpointEvery, logEvery, resume, p);
        }

        public Options withSteps(long n) {
            return new Options(runDir, n, checkpointEvery, logEvery, resume, progress);
        }
    }

    /**
     * What a run did: the step it started from (non-zero after a resume), the total reached, wall-clock
     * seconds of this process's part, and the metrics of the last step.
     */
    public record Result(long startStep, long steps, double seconds, Map<String, Double> lastMetrics, Path runDir) {
        public double stepsPerSecond() {
            return seconds > 0 ? (steps - startStep) / seconds : 0;
        }
    }

    private final Options options;
    private final Module model;
    private final Optimizer optimizer;
    private final Rng rng;
    private final JsonNode config;
    private MetricsLog metrics;
    private Result result;

    /**
     * @param model     its state dict is checkpointed and restored
     * @param optimizer its state is checkpointed and restored (may be null for a run without one)
     * @param rng       the generator the step function draws from; its state is checkpointed and restored
     * @param config    the run's configuration, stored in the checkpoint (may be null)
     */
    public Trainer(Options options, Module model, Optimizer optimizer, Rng rng, JsonNode config) {
        if (options == null || model == null || rng == null) {
            throw new IllegalArgumentException("Trainer: options, model and rng must not be null");
        }
        this.options = options;
        this.model = model;
        this.optimizer = optimizer;
        this.rng = rng;
        this.config = config == null ? JsonNodeFactory.instance.objectNode() : config;
    }

    /** Runs the steps not yet done; returns what happened. */
    public Result fit(StepFunction step) {
        Path ckpt = options.runDir().resolve(CHECKPOINT_DIR);
        long start = 0;
        createRunDir();
        if (options.resume() == Resume.LATEST) {
            start = restore(ckpt);
        }
        metrics = MetricsLog.resume(options.runDir(), start);
        LOG.info("{} steps {}..{} in {}", start > 0 ? "resuming" : "training", start, options.steps(),
                options.runDir());
        long t0 = System.nanoTime();
        Map<String, Double> last = metrics.last();
        try (ProgressBar bar = progressBar(start)) {
            for (long s = start; s < options.steps(); s++) {
                Map<String, Double> m;
                try (Arena arena = Arena.open()) {
                    m = step.run(s);
                }
                if (m == null) {
                    throw new IllegalStateException("Trainer: the step function returned null metrics at step " + s);
                }
                metrics.append(s, m);
                last = m;
                long done = s + 1;
                if (bar != null) {
                    bar.setExtraMessage(" " + describe(m));
                    bar.stepTo(done);
                }
                if (options.logEvery() > 0 && done % options.logEvery() == 0) {
                    double sec = (System.nanoTime() - t0) / 1e9;
                    LOG.info("step {}/{} {} ({} steps/s)", done, options.steps(), describe(m),
                            String.format(Locale.ROOT, "%.1f", (done - start) / Math.max(sec, 1e-9)));
                }
                if (options.checkpointEvery() > 0 && (done % options.checkpointEvery() == 0 || done == options.steps())) {
                    save(ckpt, done);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        result = new Result(start, options.steps(), seconds, last, options.runDir());
        writeSummary(Map.of());
        writeCurves();
        LOG.info("done: {} steps in {} s, {}", options.steps() - start,
                String.format(Locale.ROOT, "%.1f", seconds), describe(last));
        return result;
    }

    /** The metrics log of the current run (after {@link #fit} started). */
    public MetricsLog metrics() {
        if (metrics == null) {
            throw new IllegalStateException("Trainer.metrics: fit has not run yet");
        }
        return metrics;
    }

    /**
     * Rewrites {@code metrics.json} with the run's totals, the per-metric summary and {@code evaluation}
     * (numbers measured after training, such as test accuracy) under "evaluation".
     */
    public void writeSummary(Map<String, ?> evaluation) {
        if (result == null) {
            throw new IllegalStateException("Trainer.writeSummary: fit has not run yet");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("steps", result.steps());
        extra.put("start_step", result.startStep());
        extra.put("seconds", result.seconds());
        extra.put("steps_per_second", result.stepsPerSecond());
        if (!evaluation.isEmpty()) {
            extra.put("evaluation", evaluation);
        }
        metrics.writeJson(extra);
    }

    /** Loads the checkpoint into the model, optimizer and RNG; returns its step, or 0 when there is none. */
    private long restore(Path ckpt) {
        CheckpointState state;
        try {
            state = Checkpoint.load(ckpt);
        } catch (NoSuchFileException e) {
            LOG.info("no checkpoint in {}: starting from step 0", options.runDir());
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + ckpt + ": " + e.getMessage(), e);
        }
        if (state.step() > options.steps()) {
            throw new IllegalArgumentException("Trainer: checkpoint " + ckpt + " is at step " + state.step()
                    + ", past the run's " + options.steps() + " steps");
        }
        model.loadStateDict(state.model(), Module.LoadMode.STRICT);
        if (optimizer != null) {
            optimizer.loadStateDict(state.optimizer(), model.namedParameters());
        }
        rng.restore(state.rngState());
        // the model and optimizer copied what they need; free the loaded arrays now
        state.model().values().forEach(Tensor::close);
        state.optimizer().values().forEach(Tensor::close);
        LOG.info("restored {} at step {}", ckpt, state.step());
        return state.step();
    }

    private void save(Path ckpt, long done) {
        CheckpointState state = new CheckpointState(model.stateDict(),
                optimizer == null ? Map.of() : optimizer.stateDict(model.namedParameters()), rng.state(), done, config,
                Map.of());
        try {
            Checkpoint.save(ckpt, state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save checkpoint " + ckpt + ": " + e.getMessage(), e);
        }
        LOG.debug("checkpoint at step {}", done);
    }

    private void writeCurves() {
        List<String> names = new ArrayList<>();
        for (String n : metrics.names()) {
            if (n.contains("loss")) {
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            names.addAll(metrics.names());
        }
        if (names.isEmpty() || metrics.steps().length == 0) {
            return;
        }
        boolean positive = true;
        for (String n : names) {
            for (double v : metrics.values(n)) {
                positive &= Double.isNaN(v) || v > 0;
            }
        }
        metrics.writeCurves(options.runDir().resolve("loss.png"), "training", names,
                positive ? Plots.AxisScale.LOG : Plots.AxisScale.LINEAR);
    }

    private ProgressBar progressBar(long start) {
        if (options.progress() == Progress.NONE || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(options.steps())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                .startsFrom(start, Duration.ZERO).setMaxRenderedLength(110).build();
    }

    private void createRunDir() {
        try {
            Files.createDirectories(options.runDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + options.runDir() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.4g", v)));
        return sb.toString();
    }
}
