package org.latent4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.latent4j.core.kernels.Kernels;

/**
 * A/B of the matmul paths interleaved in one process: on a machine that other work shares, side-by-side rounds are
 * the only fair comparison (JMH runs one variant's iterations after the other's). Two modes:
 * <ul>
 * <li>no arguments (or {@code gpt [rounds] [stepsPerRound]}): the baby GPT's training step and KV-cache decoding with
 *     and without oneDNN's {@code dnnl_sgemm} in the seam ({@code Kernels.setDnnlMatmul(false)});</li>
 * <li>{@code shapes SHAPE...} ({@link GemmShapesBenchmark}'s {@code m x k x n / layout}, e.g. {@code 768x128x384/NT}):
 *     the Java sgemm, dnnl and ND4J's Mmul on each shape, in GFLOPS.</li>
 * </ul>
 * Each round runs A then B (the order alternates) and records wall and process CPU time; prints best, median and
 * worst of each. Run with {@code --add-modules=jdk.incubator.vector}:
 * <pre>java --add-modules=jdk.incubator.vector -cp ... org.latent4j.benchmarks.MatmulPathAb gpt 20 4</pre>
 */
public final class MatmulPathAb {
    private MatmulPathAb() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("shapes")) {
            for (int i = 1; i < args.length; i++) {
                shape(args[i]);
            }
            return;
        }
        int at = args.length > 0 && args[0].equals("gpt") ? 1 : 0;
        int rounds = args.length > at ? Integer.parseInt(args[at]) : 20;
        int steps = args.length > at + 1 ? Integer.parseInt(args[at + 1]) : 5;
        GptBenchmark gpt = new GptBenchmark();
        gpt.setup(); // includes the JIT warm-up, on the default (oneDNN) path
        for (boolean path : new boolean[] {false, true}) {
            Kernels.setDnnlMatmul(path);
            for (int i = 0; i < GptBenchmark.WARMUP_STEPS / 2; i++) {
                gpt.trainStep();
            }
        }
        report("trainStep", rounds, steps, gpt::trainStep);
        report("decodeKvCache", Math.max(2, rounds / 4), 1, gpt::decodeKvCache);
        Kernels.setDnnlMatmul(true);
    }

    /** The three kernels on one shape: a 0.3 s warm-up each, then 11 interleaved rounds of ~0.1 s each. */
    private static void shape(String shape) {
        GemmShapesBenchmark g = new GemmShapesBenchmark();
        g.shape = shape;
        g.setup();
        String[] p = shape.split("[x/]");
        double flop = 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]);
        Runnable[] paths = {g::java, g::dnnl, g::nd4jMmul};
        String[] names = {"java", "dnnl", "nd4jMmul"};
        int[] calls = new int[paths.length];
        for (int i = 0; i < paths.length; i++) {
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 300_000_000L) {
                paths[i].run();
                calls[i]++;
            }
            calls[i] = Math.max(1, calls[i] / 3);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<List<double[]>> rows = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            rows.add(new ArrayList<>());
        }
        for (int r = 0; r < 11; r++) {
            for (int j = 0; j < paths.length; j++) {
                int i = (r + j) % paths.length;
                long w0 = System.nanoTime();
                long c0 = os.getProcessCpuTime();
                for (int c = 0; c < calls[i]; c++) {
                    paths[i].run();
                }
                long cpu = Math.max(1, os.getProcessCpuTime() - c0);
                rows.get(i).add(new double[] {flop * calls[i] / (System.nanoTime() - w0), flop * calls[i] / cpu});
            }
        }
        StringBuilder line = new StringBuilder(String.format("%-18s GFLOPS worst/median/best, wall (process CPU):",
                shape));
        for (int i = 0; i < paths.length; i++) {
            line.append(String.format("  %s %s (%s)", names[i], stats(rows.get(i), 0), stats(rows.get(i), 1)));
        }
        System.out.println(line);
    }

    private static void report(String name, int rounds, int steps, Runnable step) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<double[]> dnnl = new ArrayList<>();
        List<double[]> other = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int half = 0; half < 2; half++) {
                boolean on = (r + half) % 2 == 0;
                Kernels.setDnnlMatmul(on);
                long w0 = System.nanoTime();
                long c0 = os.getProcessCpuTime();
                for (int s = 0; s < steps; s++) {
                    step.run();
                }
                double wall = (System.nanoTime() - w0) / 1e6 / steps;
                double cpu = (os.getProcessCpuTime() - c0) / 1e6 / steps;
                (on ? dnnl : other).add(new double[] {wall, cpu});
            }
        }
        System.out.printf("%s ms per call, best/median/worst of %d rounds × %d: wall dnnl %s, without %s; "
                + "process CPU dnnl %s, without %s%n", name, rounds, steps, stats(dnnl, 0), stats(other, 0),
                stats(dnnl, 1), stats(other, 1));
    }

    /** Smallest, median and largest of one column. */
    private static String stats(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return String.format("%.1f/%.1f/%.1f", v[0], v[v.length / 2], v[v.length - 1]);
    }
}
