package org.latent4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A/B of the matmul seam with and without oneDNN's {@code dnnl_sgemm} ({@code -Dlatent4j.dnnl=false}, read per
 * call) on the baby GPT's training step and KV-cache decoding, interleaved in one process: on a machine that other
 * work shares, side-by-side rounds are the only fair comparison (JMH runs one variant's iterations after the
 * other's). Each round runs a few steps of A then of B (the order alternates) and records wall and process CPU time
 * per step; prints best, median and worst of each. Run with {@code --add-modules=jdk.incubator.vector}:
 * <pre>java --add-modules=jdk.incubator.vector -cp ... org.latent4j.benchmarks.MatmulPathAb [rounds] [stepsPerRound]</pre>
 */
public final class MatmulPathAb {
    private MatmulPathAb() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        GptBenchmark gpt = new GptBenchmark();
        gpt.setup(); // includes the JIT warm-up, on the default (oneDNN) path
        for (String path : new String[] {"false", "true"}) {
            System.setProperty("latent4j.dnnl", path);
            for (int i = 0; i < GptBenchmark.WARMUP_STEPS / 2; i++) {
                gpt.trainStep();
            }
        }
        report("trainStep", rounds, steps, gpt::trainStep);
        report("decodeKvCache", Math.max(2, rounds / 4), 1, gpt::decodeKvCache);
        System.clearProperty("latent4j.dnnl");
    }

    private static void report(String name, int rounds, int steps, Runnable step) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<double[]> dnnl = new ArrayList<>();
        List<double[]> other = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int half = 0; half < 2; half++) {
                boolean on = (r + half) % 2 == 0;
                System.setProperty("latent4j.dnnl", Boolean.toString(on));
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

    private static String stats(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return String.format("%.1f/%.1f/%.1f", v[0], v[v.length / 2], v[v.length - 1]);
    }
}
