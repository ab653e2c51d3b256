package org.latent4j.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latent4j.core.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latent4j gpt train ...} and {@code latent4j gpt sample ...}: the command-line face of
 * {@link GptExample}.
 */
@Command(name = "gpt", mixinStandardHelpOptions = true,
        description = "Train a character-level GPT on text and sample from it.",
        subcommands = {GptCommand.Train.class, GptCommand.Sample.class})
public final class GptCommand extends CommandGroup {
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a GPT; writes metrics.json, metrics.csv, loss.png, checkpoint/, samples.txt.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--corpus", paramLabel = "FILE", description = "UTF-8 text to train on (default: the bundled corpus)")
        Path corpus;

        @Option(names = "--fortunes", description = "train on Debian's fortunes (apt-get install fortunes)")
        boolean fortunes;

        @Option(names = "--task", paramLabel = "TASK", description = "a built-in task instead of text: addition")
        String task;

        @Option(names = "--preset", description = "tiny, baby or gpt2-small (default ${DEFAULT-VALUE})")
        String preset = GptExample.TrainOptions.defaults().preset();

        @Option(names = "--max-steps", description = "training steps (default ${DEFAULT-VALUE})")
        int maxSteps = GptExample.TrainOptions.defaults().maxSteps();

        @Option(names = "--batch-size", description = "sequences per step (default ${DEFAULT-VALUE})")
        int batchSize = GptExample.TrainOptions.defaults().batchSize();

        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = GptExample.TrainOptions.defaults().seed();

        @Option(names = "--out", description = "run directory (default ${DEFAULT-VALUE})")
        Path out = GptExample.TrainOptions.defaults().out();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GptExample.Source source;
            if (task != null) {
                if (!task.equals("addition")) {
                    throw new Cli.BadInputException("unknown --task '" + task + "' (the built-in task is: addition)");
                }
                source = GptExample.Source.ADDITION;
            } else if (corpus != null) {
                if (!Files.isRegularFile(corpus)) {
                    throw new Cli.BadInputException(corpus + ": no such file");
                }
                source = GptExample.Source.FILE;
            } else {
                source = fortunes ? GptExample.Source.FORTUNES : GptExample.Source.BUNDLED;
            }
            GptExample.TrainResult r;
            try {
                r = GptExample.train(new GptExample.TrainOptions(source, corpus, preset, maxSteps, batchSize, seed,
                        out, Trainer.Progress.BAR));
            } catch (IllegalArgumentException e) {
                throw new Cli.BadInputException(e.getMessage());
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "train_loss %.4f  val_loss %.4f  tokens/s %.0f  parameters %,d  steps %d%n",
                    r.trainLoss(), r.valLoss(), r.tokensPerSecond(), r.parameters(), r.steps());
            w.printf("outputs in %s; a sample:%n%s%n", r.runDir(), r.sample());
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, description = "Continue a prompt with a trained GPT.")
    static final class Sample implements Callable<Integer> {
        @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "a run directory of gpt train")
        Path checkpoint;

        @Option(names = "--prompt", description = "text to continue (default: a newline)")
        String prompt = "";

        @Option(names = "--max-tokens", description = "tokens to generate (default ${DEFAULT-VALUE})")
        int maxTokens = 200;

        @Option(names = "--temperature", description = "0 for greedy (default ${DEFAULT-VALUE})")
        double temperature = 0.8;

        @Option(names = "--top-k", description = "0 for no limit (default ${DEFAULT-VALUE})")
        int topK = 40;

        @Option(names = "--top-p", description = "nucleus size, 1 for no limit (default ${DEFAULT-VALUE})")
        double topP = 1.0;

        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
        long seed = 1;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                spec.commandLine().getOut().println(GptExample.sample(new GptExample.SampleOptions(checkpoint, prompt,
                        maxTokens, temperature, topK, topP, seed)));
            } catch (IOException | IllegalArgumentException e) {
                throw new Cli.BadInputException(e.getMessage());
            }
            return 0;
        }
    }
}
