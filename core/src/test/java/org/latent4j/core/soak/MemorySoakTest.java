package org.latent4j.core.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Trains a small MLP for 10,000 steps, each inside an {@link Arena}, and checks that the process's resident
 * memory after step 1,000 and after step 10,000 differ by less than 10%: intermediates are freed every step,
 * so a long run holds a flat footprint. Not in the default suite: {@code mvn -Psoak verify}.
 *
 * <p>The training runs in a child JVM whose Java heap is fixed and touched up front ({@code -Xms} = {@code -Xmx}
 * = {@value #HEAP}, {@code -XX:+AlwaysPreTouch}), so resident memory counts the whole heap from the start and
 * every later change is off-heap. Measured in the test JVM itself (4 GB heap), RSS wandered by hundreds of MB
 * with no leak at all: G1 grows the heap as the allocation rate asks, a {@code System.gc()} shrinks it but
 * uncommits the freed regions concurrently, after the RSS was read (seen: 143 MB of heap resident against
 * 63 MB committed), and ND4J frees the small native objects it hangs on each array (shape descriptors) and
 * on each custom op (op contexts) only after the GC has found their owners, so with a heap that rarely
 * collects, more of them wait. A bounded heap leaves all of that bounded; a leak, on or off the heap, still
 * fails: a Java leak runs out of the small heap, a native one grows the RSS.
 */
@Tag("soak")
class MemorySoakTest {
    private static final String HEAP = "128m";
    private static final int STEPS = 10_000;
    private static final int FIRST_MEASUREMENT = 1_000;

    @Test
    void residentMemoryStaysFlatOverTenThousandSteps() throws IOException, InterruptedException {
        Map<String, Double> report = runChild();
        double rssAt1000 = report.get("rss." + FIRST_MEASUREMENT);
        double rssAt10000 = report.get("rss." + STEPS);
        double firstLoss = report.get("loss.first");
        double lastLoss = report.get("loss.last");
        double change = Math.abs(rssAt10000 - rssAt1000) / rssAt1000;
        System.out.printf("soak: RSS after step 1,000 %.1f MB, after step 10,000 %.1f MB (%.1f%%), loss %.3f -> %.3f%n",
                rssAt1000 / 1e6, rssAt10000 / 1e6, 100 * change, firstLoss, lastLoss);
        assertTrue(lastLoss < firstLoss, "the model must train: loss " + firstLoss + " -> " + lastLoss);
        assertTrue(change < 0.10, "resident memory grew from " + (long) rssAt1000 + " to " + (long) rssAt10000
                + " bytes");
    }

    /** Starts {@link #main} in a JVM with a fixed heap and returns the {@code key value} lines it printed. */
    private static Map<String, Double> runChild() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // keep the module and property flags (Vector API, JavaCPP limits), not the heap settings
            if (arg.startsWith("--add-modules") || arg.startsWith("-Dorg.bytedeco")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), MemorySoakTest.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> report = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("soak.")) {
                    String[] kv = line.substring("soak.".length()).split(" ");
                    report.put(kv[0], Double.parseDouble(kv[1]));
                }
                if (!line.contains(" INFO ")) {
                    System.out.println("[soak child] " + line);
                }
            }
        }
        assertEquals(0, child.waitFor(), "the soak's child JVM failed; its output is above");
        return report;
    }

    /** The soak itself, run in the child JVM: prints {@code soak.<key> <value>} lines. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Rng rng = new Rng(7);
        Mlp model = new Mlp(new int[] {2, 64, 64, 2}, Activation::relu, rng);
        Adam optimizer = new Adam(model.parameters(), Adam.Options.defaults().withLr(1e-3));
        TensorDataset data = ToyDatasets.twoMoons(rng, 4096, 0.05);
        Tensor x = data.field(0);
        Tensor y = data.field(1);
        for (int step = 1; step <= STEPS; step++) {
            try (Arena arena = Arena.open()) {
                int start = (step * 64) % 4096;
                Tensor xb = Shapes.slice(x, 0, start, start + 64);
                Tensor yb = Shapes.slice(y, 0, start, start + 64);
                Tensor loss = Losses.crossEntropy(model.forward(xb), yb);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                double value = loss.item();
                if (step == 1) {
                    System.out.println("soak.loss.first " + value);
                }
                if (step == STEPS) {
                    System.out.println("soak.loss.last " + value);
                }
            }
            if (step == FIRST_MEASUREMENT || step == STEPS) {
                System.out.println("soak.rss." + step + " " + residentBytes());
            }
        }
    }

    /** VmRSS after a collection and a moment for ND4J's deallocator threads to free what it found. */
    private static long residentBytes() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(500);
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
