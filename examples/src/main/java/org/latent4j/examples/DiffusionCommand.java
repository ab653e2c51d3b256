package org.latent4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.io.Npy;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.ImageGrid;
import org.latent4j.core.viz.Plots;
import org.latent4j.core.viz.Series;
import org.latent4j.diffusion.CaptionTokenizer;
import org.latent4j.diffusion.Condition;
import org.latent4j.diffusion.DdimSampler;
import org.latent4j.diffusion.DdpmSampler;
import org.latent4j.diffusion.Denoiser;
import org.latent4j.diffusion.Guidance;
import org.latent4j.diffusion.NoiseSchedule;
import org.latent4j.diffusion.Prediction;
import org.latent4j.diffusion.Sampler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent4j diffusion train|sample}: the command line of {@link DiffusionExample}. */
@Command(name = "diffusion", mixinStandardHelpOptions = true, description = "Train and sample diffusion models.",
        subcommands = {DiffusionCommand.Train.class, DiffusionCommand.Sample.class})
public final class DiffusionCommand extends CommandGroup {
    /** {@code latent4j diffusion train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a denoiser; writes samples, strip.png, metrics.json, loss.png and checkpoint/.")
    static final class Train implements Callable<Integer> {
        private static final DiffusionExample.Options D = DiffusionExample.Options.defaults();

        @Option(names = "--data", description = "moons, ring8, shapes, fashion-mnist or FILE.npy (default ${DEFAULT-VALUE})")
        String data = D.data();
        @Option(names = "--preset", description = "tiny or small (default ${DEFAULT-VALUE})")
        String preset = D.preset();
        @Option(names = "--condition", description = "none, label or caption (default ${DEFAULT-VALUE})")
        String condition = D.condition();
        @Option(names = "--max-steps", description = "training steps (default ${DEFAULT-VALUE})")
        int maxSteps = D.maxSteps();
        @Option(names = "--timesteps", description = "diffusion steps T (default ${DEFAULT-VALUE})")
        int timesteps = D.timesteps();
        @Option(names = "--samples", description = "samples drawn at the end by each sampler (default: 2000 points or "
                + "256 images)")
        int samples = D.samples();
        @Option(names = "--batch-size", description = "training batch (default: 256 points or 32 images)")
        int batchSize = D.batchSize();
        @Option(names = "--lr", description = "AdamW learning rate (default: 2e-3 points, 5e-4 images)")
        double lr = D.lr();
        @Option(names = "--checkpoint-every", description = "also save the EMA weights every N steps (default: at the end)")
        int checkpointEvery = D.checkpointEvery();
        @Option(names = "--classifier", description = "feature classifier that judges image samples: loaded from DIR if "
                + "it holds one, else trained on the data and saved there (default: OUT/classifier)")
        Path classifier = D.classifier();
        @Option(names = "--classifier-steps", description = "training steps of that classifier (default: 600 for "
                + "shapes, 2000 for fashion-mnist)")
        int classifierSteps = D.classifierSteps();
        @Option(names = "--guidance", description = "classifier-free guidance scale (default ${DEFAULT-VALUE})")
        double guidance = D.guidance();
        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = D.seed();
        @Option(names = "--out", description = "run directory (default ${DEFAULT-VALUE})")
        Path out = D.out();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!preset.equals("tiny") && !preset.equals("small")) {
                throw new Cli.BadInputException("--preset must be tiny or small, got " + preset);
            }
            if (!condition.matches("none|label|caption")) {
                throw new Cli.BadInputException("--condition must be none, label or caption, got " + condition);
            }
            var r = DiffusionExample.run(new DiffusionExample.Options(data, preset, condition, maxSteps, timesteps,
                    samples, guidance, seed, out, batchSize, lr, checkpointEvery, classifier,
                    classifierSteps));
            r.metrics().forEach((k, v) -> spec.commandLine().getOut().printf("%-24s %s%n", k, v));
            return 0;
        }
    }

    /** {@code latent4j diffusion sample}. */
    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Sample a trained denoiser; writes FILE.npy and FILE.png.")
    static final class Sample implements Callable<Integer> {
        @Option(names = "--checkpoint", required = true, description = "run directory of `diffusion train`")
        Path checkpoint;
        @Option(names = "--sampler", description = "ddpm or ddim (default ${DEFAULT-VALUE})")
        String sampler = "ddim";
        @Option(names = "--steps", description = "DDIM steps (default ${DEFAULT-VALUE})")
        int steps = 50;
        @Option(names = "--eta", description = "DDIM eta (default ${DEFAULT-VALUE})")
        double eta = 0;
        @Option(names = "--guidance", description = "classifier-free guidance scale (default ${DEFAULT-VALUE})")
        double guidance = 3;
        @Option(names = "--label", description = "class label for every sample (default: cycle through classes)")
        long label = -1;
        @Option(names = "--caption", description = "caption for every sample, e.g. \"a red circle\"")
        String caption;
        @Option(names = "--n", description = "number of samples (default ${DEFAULT-VALUE})")
        int n = 64;
        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = 0;
        @Option(names = "--out", description = "samples file (default ${DEFAULT-VALUE})")
        Path out = Path.of("samples.npy");
        @Option(names = "--classifier", description = "feature classifier judging image samples (default: "
                + "CHECKPOINT/classifier, trained there first if missing)")
        Path classifier;

        @Override
        public Integer call() throws IOException {
            Path dir = checkpoint.resolve("checkpoint");
            CheckpointState state;
            try {
                state = Checkpoint.load(java.nio.file.Files.isDirectory(dir) ? dir : checkpoint);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new Cli.BadInputException("no checkpoint in " + checkpoint);
            }
            JsonNode config = state.config();
            Module model = DiffusionExample.build(config, new Rng(0));
            model.loadStateDict(state.model(), Module.LoadMode.STRICT);
            model.eval();
            CaptionTokenizer tok = config.get("condition").asText().equals("caption")
                    ? DiffusionExample.tokenizer(config) : null;
            Condition cond;
            try {
                cond = DiffusionExample.sampleCondition(config, n, caption, label, tok);
            } catch (IllegalArgumentException e) {
                throw new Cli.BadInputException(e.getMessage());
            }
            boolean points = config.get("sampleShape").size() == 1;
            double clip = points ? Double.POSITIVE_INFINITY : 1;
            NoiseSchedule schedule = NoiseSchedule.linear(config.get("timesteps").asInt());
            Sampler s = switch (sampler) {
                case "ddpm" -> new DdpmSampler(schedule, Prediction.EPSILON, clip);
                case "ddim" -> new DdimSampler(schedule, Prediction.EPSILON, steps, eta, clip);
                default -> throw new Cli.BadInputException("--sampler must be ddpm or ddim, got " + sampler);
            };
            Tensor x = s.sample(Guidance.classifierFree((Denoiser) model, guidance), cond,
                    DiffusionExample.sampleShape(config, n), new Rng(seed));
            Npy.write(out, x);
            String stem = out.getFileName().toString().replaceAll("\\.npy$", "");
            Path png = out.resolveSibling(stem + ".png");
            if (points) {
                Plots.writeScatter(png, "diffusion samples", java.util.List.of(Series.ofPoints(sampler, x)));
            } else {
                ImageGrid.write(png, x, GridOptions.defaults().withColumns(n > 64 ? 16 : 8));
            }
            System.out.println("wrote " + out + " and " + png + " " + Map.of("n", n, "sampler", sampler));
            if (!points && DiffusionJudge.applies(config) && n >= 2) {
                judge(config, cond, x, out.resolveSibling(stem + ".json"));
            }
            return 0;
        }

        /** FD to held-out images and accuracy on the requested classes/captions, printed and written as JSON. */
        private void judge(JsonNode config, Condition cond, Tensor x, Path json) throws IOException {
            Path clf = classifier != null ? classifier : checkpoint.resolve(DiffusionJudge.DIR);
            DiffusionJudge judge = DiffusionJudge.create(config, clf, null, 0, n, new Rng(seed).split());
            java.util.Map<String, Object> metrics = new java.util.LinkedHashMap<>();
            metrics.put("sampler", sampler.equals("ddim") ? "ddim" + steps : "ddpm");
            metrics.put("guidance", guidance);
            metrics.put("n", n);
            List<Tensor> requested = DiffusionJudge.requested(config, cond, DiffusionExample.sampleCaptions(n, caption));
            judge.describe(metrics, requested);
            judge.judge("samples", x, requested, metrics);
            metrics.forEach((k, v) -> System.out.printf("%-24s %s%n", k, v));
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(json.toFile(), metrics);
        }
    }
}
