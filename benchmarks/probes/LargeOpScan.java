import java.util.*;
import java.util.function.Function;
import org.latent4j.core.ops.*;
import org.latent4j.core.tensor.*;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
/**
 * Probe: every op family on a (64,64,16,16) float32 tensor (4M elements, past the small-tensor loops), each as one
 * autograd step {@code op(x)[·r].sum().backward()} inside an arena with the gradients cleared first; prints
 * {@code name,ms} (best of 5 rounds of 3 calls after 40 warm-up calls, {@code -Dwarmup=N}). large_ops_scan.py is the PyTorch
 * twin. Run (from the repository root, after {@code mvn -q -o -pl core compile} and
 * {@code mvn -q -o -pl core dependency:build-classpath -Dmdep.outputFile=/tmp/corecp.txt}):
 * {@code java --add-modules=jdk.incubator.vector -cp core/target/classes:$(cat /tmp/corecp.txt)
 * benchmarks/probes/LargeOpScan.java [REGEX]}.
 */
public class LargeOpScan {
    /** Warm-up calls per op: fewer left the JIT compiling during the timed rounds (2 cores: ±50%). */
    static final int WARMUP = Integer.getInteger("warmup", 40);

    static double time(Runnable b) {
        for (int i = 0; i < WARMUP; i++) b.run();
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 5; r++) { long t = System.nanoTime(); for (int i = 0; i < 3; i++) b.run(); best = Math.min(best, (System.nanoTime() - t) / 3); }
        return best / 1e6;
    }
    public static void main(String[] a) {
        Tensor x = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 64, 64, 16, 16).subi(0.5)).requireGrad();
        Tensor pos = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 64, 64, 16, 16).addi(0.1)).requireGrad();
        Tensor y = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 64, 64, 16, 16));
        Tensor bias = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 1, 64, 1, 1)).requireGrad();
        Tensor w64 = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 64)).requireGrad();
        Tensor b64 = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 64)).requireGrad();
        Tensor w16 = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 16)).requireGrad();
        Tensor b16 = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 16)).requireGrad();
        Tensor rm = Tensor.wrap(Nd4j.zeros(DataType.FLOAT, 64)), rv = Tensor.wrap(Nd4j.ones(DataType.FLOAT, 64));
        Tensor logits2 = Tensor.wrap(Nd4j.rand(DataType.FLOAT, 16384, 256)).requireGrad();
        long[] tg = new long[16384]; for (int i = 0; i < tg.length; i++) tg[i] = (i * 37) % 256;
        Tensor targets = Tensor.ofLongs(tg, 16384);
        Map<String, Runnable> ops = new LinkedHashMap<>();
        ops.put("add_bias", () -> x.add(bias).sum().backward());
        ops.put("mul", () -> x.mul(y).sum().backward());
        ops.put("div", () -> y.div(pos).sum().backward());
        ops.put("exp", () -> Elementwise.exp(x).sum().backward());
        ops.put("log", () -> Elementwise.log(pos).sum().backward());
        ops.put("sqrt", () -> Elementwise.sqrt(pos).sum().backward());
        ops.put("pow", () -> Elementwise.pow(pos, 1.5).sum().backward());
        ops.put("relu", () -> Activations.relu(x).sum().backward());
        ops.put("leaky_relu", () -> Activations.leakyRelu(x, 0.2).sum().backward());
        ops.put("gelu", () -> Activations.gelu(x).sum().backward());
        ops.put("silu", () -> Activations.silu(x).sum().backward());
        ops.put("sigmoid", () -> Activations.sigmoid(x).sum().backward());
        ops.put("tanh", () -> Activations.tanh(x).sum().backward());
        ops.put("softplus", () -> Activations.softplus(x).sum().backward());
        ops.put("elu", () -> Activations.elu(x, 1.0).sum().backward());
        ops.put("sum_023", () -> Reductions.sum(x, new int[] {0, 2, 3}, false).mul(w64).sum().backward());
        ops.put("mean_last", () -> Reductions.mean(x, new int[] {3}, false).sum().backward());
        ops.put("var_23", () -> Reductions.var(x, new int[] {2, 3}, false, 1).sum().backward());
        ops.put("max_last", () -> Reductions.max(x, 3, false).sum().backward());
        ops.put("logsumexp_last", () -> Reductions.logSumExp(x, new int[] {3}, false).sum().backward());
        ops.put("cumsum_last", () -> Reductions.cumsum(x, 3).mul(y).sum().backward());
        ops.put("softmax_last", () -> Softmax.softmax(x, -1).mul(y).sum().backward());
        ops.put("layer_norm_last", () -> Normalization.layerNorm(x, new long[] {16}, w16, b16, 1e-5).mul(y).sum().backward());
        ops.put("group_norm_8", () -> Normalization.groupNorm(x, 8, w64, b64, 1e-5).mul(y).sum().backward());
        ops.put("batch_norm_train", () -> Normalization.batchNorm(x, rm, rv, w64, b64, Normalization.BatchNormMode.TRAIN, 0.1, 1e-5).mul(y).sum().backward());
        ops.put("permute_contig", () -> Shapes.contiguous(Shapes.permute(x, 0, 2, 3, 1)).sum().backward());
        ops.put("slice_step2", () -> Shapes.slice(x, 3, 0, 16, 2).sum().backward());
        ops.put("concat_axis1", () -> Shapes.concat(1, x, x).sum().backward());
        ops.put("pad_1", () -> Shapes.pad(x, new long[] {1, 1, 1, 1}, 0).sum().backward());
        ops.put("flip_last", () -> Shapes.flip(x, 3).mul(y).sum().backward());
        ops.put("avg_pool2", () -> Pooling.avgPool2d(x, 2).sum().backward());
        ops.put("max_pool2", () -> Pooling.maxPool2d(x, 2).sum().backward());
        ops.put("mse", () -> Losses.mse(x, y).backward());
        ops.put("bce_logits", () -> Losses.bceWithLogits(x, y).backward());
        ops.put("cross_entropy", () -> Losses.crossEntropy(logits2, targets).backward());
        String only = a.length > 0 ? a[0] : ".*";
        for (var e : ops.entrySet()) {
            if (!e.getKey().matches(only)) continue;
            Runnable body = () -> { x.clearGrad(); pos.clearGrad(); bias.clearGrad(); logits2.clearGrad(); w64.clearGrad(); b64.clearGrad(); w16.clearGrad(); b16.clearGrad();
                try (Arena ar = Arena.open()) { e.getValue().run(); } };
            try { System.out.printf(Locale.ROOT, "%s,%.3f%n", e.getKey(), time(body)); }
            catch (Exception ex) { System.out.println(e.getKey() + ",ERR " + ex); }
        }
    }
}
