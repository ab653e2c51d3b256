package org.latent4j.core.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.data.ToyDatasets;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Mlp;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Trains a small MLP for 10,000 steps, each inside an {@link Arena}, and checks that the process's resident
 * memory after step 1,000 and after step 10,000 differ by less than 10%: intermediates are freed every step,
 * so a long run holds a flat footprint. Not in the default suite: {@code mvn -Psoak verify}.
 */
@Tag("soak")
class MemorySoakTest {
    @Test
    void residentMemoryStaysFlatOverTenThousandSteps() throws IOException {
        Rng rng = new Rng(7);
        Mlp model = new Mlp(new int[] {2, 64, 64, 2}, Activation::relu, rng);
        Adam optimizer = new Adam(model.parameters(), Adam.Options.defaults().withLr(1e-3));
        TensorDataset data = ToyDatasets.twoMoons(rng, 4096, 0.05);
        Tensor x = data.field(0);
        Tensor y = data.field(1);
        long rssAt1000 = 0;
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int step = 1; step <= 10_000; step++) {
            try (Arena arena = Arena.open()) {
                int start = (step * 64) % 4096;
                Tensor xb = org.latent4j.core.ops.Shapes.slice(x, 0, start, start + 64);
                Tensor yb = org.latent4j.core.ops.Shapes.slice(y, 0, start, start + 64);
                Tensor loss = Losses.crossEntropy(model.forward(xb), yb);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                lastLoss = loss.item();
                if (step == 1) {
                    firstLoss = lastLoss;
                }
            }
            if (step == 1_000) {
                rssAt1000 = residentBytes();
            }
        }
        long rssAt10000 = residentBytes();
        double change = Math.abs(rssAt10000 - rssAt1000) / (double) rssAt1000;
        System.out.printf("soak: RSS after step 1,000 %.1f MB, after step 10,000 %.1f MB (%.1f%%), loss %.3f -> %.3f%n",
                rssAt1000 / 1e6, rssAt10000 / 1e6, 100 * change, firstLoss, lastLoss);
        assertTrue(lastLoss < firstLoss, "the model must train: loss " + firstLoss + " -> " + lastLoss);
        assertTrue(change < 0.10, "resident memory grew from " + rssAt1000 + " to " + rssAt10000 + " bytes");
    }

    private static long residentBytes() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
