/*
 * A tour of the core API in one runnable file: tensors, autograd (first and second order), a module with
 * PyTorch's parameter names, an optimizer step, safetensors and checkpoints, and an image grid. The
 * snippets in docs/core.md are copied from this file (a test checks they still match), so they compile.
 *
 * Run:  ./latent4j tour [--out runs/tour]
 */
package org.latent4j.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.nn.Module;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.viz.GridOptions;
import org.latent4j.core.viz.ImageGrid;
import picocli.CommandLine;

public final class CoreTour {
    private CoreTour() {
    }

    public record Options(Path out, long seed) {
        public static Options defaults() {
            return new Options(Path.of("runs", "tour"), 1);
        }
    }

    /** Numbers each section computed, so the smoke test can check them. */
    public record Result(Map<String, Double> values, Path runDir) {
    }

    public static Result run(Options o) {
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            tensors(values);
            autograd(values);
            modules(values, o);
            images(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(values, o.out());
    }

    private static void tensors(Map<String, Double> values) {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // (2, 3), float32
        Tensor b = Tensor.ones(3, 2);                                    // (3, 2)
        Tensor c = a.matmul(b).add(1.0);                                 // (2, 2): [[7, 7], [16, 16]]
        Tensor mean = a.sum().div(a.numel());                            // a scalar: 3.5
        values.put("c[1][0]", (double) c.toFloatArray()[2]);
        values.put("mean", mean.item());
    }

    private static void autograd(Map<String, Double> values) {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requireGrad();   // float64 leaf
        Tensor y = x.mul(x).mul(x).sum();                                // y = Σ x³
        Tensor[] dy = Autograd.grad(y, new Tensor[] {x}, GraphMode.CREATE);   // 3x², still differentiable
        Tensor d2 = Autograd.grad(dy[0].sum(), new Tensor[] {x}, GraphMode.DISCARD)[0];   // 6x
        values.put("dy/dx[1]", dy[0].toDoubleArray()[1]);
        values.put("d2y/dx2[1]", d2.toDoubleArray()[1]);
    }

    private static void modules(Map<String, Double> values, Options o) throws IOException {
        Rng rng = new Rng(o.seed());
        Mlp model = new Mlp(new int[] {2, 16, 1}, Activation::relu, rng.split());   // 0.weight, 0.bias, 2.weight, 2.bias
        Adam optimizer = new Adam(model.parameters(), Adam.Options.defaults().withLr(1e-2));
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        double loss = 0;
        for (int step = 0; step < 50; step++) {
            try (Arena arena = Arena.open()) {                           // frees the step's tensors at the end
                Tensor l = Losses.mse(model.forward(x), y);
                optimizer.zeroGrad();
                l.backward();
                optimizer.step();
                loss = l.item();
            }
        }
        values.put("xor loss", loss);

        Path weights = o.out().resolve("mlp.safetensors");
        SafeTensors.save(weights, model.stateDict());                    // loads in PyTorch with safetensors
        Mlp copy = new Mlp(new int[] {2, 16, 1}, Activation::relu, new Rng(99));
        copy.loadStateDict(SafeTensors.load(weights), Module.LoadMode.STRICT);

        Checkpoint.save(o.out().resolve("checkpoint"), new CheckpointState(model.stateDict(),
                optimizer.stateDict(model.namedParameters()), rng.state(), 50, JsonNodeFactory.instance.objectNode(), Map.of()));
        CheckpointState back = Checkpoint.load(o.out().resolve("checkpoint"));
        values.put("checkpoint step", (double) back.step());
        try (GradMode.Scope noGrad = GradMode.noGrad()) {
            boolean same = Arrays.equals(model.forward(x).toFloatArray(), copy.forward(x).toFloatArray());
            values.put("copy matches", same ? 1.0 : 0.0);
        }
    }

    private static void images(Options o) {
        Rng rng = new Rng(o.seed());
        float[] pixels = new float[16 * 3 * 8 * 8];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (2 * rng.nextDouble() - 1);
        }
        Tensor samples = Tensor.of(pixels, 16, 3, 8, 8);                  // (N, C, H, W) in [-1, 1]
        ImageGrid.write(o.out().resolve("samples.png"), samples, GridOptions.defaults().withColumns(8));
    }

    public static void main(String[] args) {
        Cli.runSubcommand("tour", args);
    }

    /** {@code latent4j tour}. */
    @CommandLine.Command(name = "tour", mixinStandardHelpOptions = true,
            description = "Run the core API tour of docs/core.md; writes runs/tour/.")
    static final class Command extends TourCommand {
        Command() {
            super(Options.defaults().out());
        }

        @Override
        Map<String, ?> tour(Path out) {
            return run(new Options(out, Options.defaults().seed())).values();
        }
    }
}
