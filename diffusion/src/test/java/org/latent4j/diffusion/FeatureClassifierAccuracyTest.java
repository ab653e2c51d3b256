package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.latent4j.core.data.FashionMnist;
import org.latent4j.core.data.ShapesDataset;
import org.latent4j.core.data.TensorDataset;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The judge's own accuracy on held-out real images with the recipes the example uses: {@link
 * FeatureClassifier.Config#small} and {@link FeatureClassifier.FitOptions#defaults()} must name the figure of nearly
 * every 16×16 shape before its verdict on guided samples means anything; {@link FeatureClassifier.Config#centred}
 * and {@link FeatureClassifier.FitOptions#fashionMnist()} must reach a small CNN's usual accuracy on Fashion-MNIST. Minutes on
 * two cores, hence {@code slow} ({@code mvn -Pslow}).
 */
@Tag("slow")
class FeatureClassifierAccuracyTest {
    @Test
    void namesTheFigureAndColourOfNearlyEveryHeldOutShape() {
        Rng rng = new Rng(0);
        TensorDataset train = ShapesDataset.generate(rng.split(), 4096, 16).tensors();
        TensorDataset test = ShapesDataset.generate(rng.split(), 1024, 16).tensors();
        double cpu = cpuSeconds();
        FeatureClassifier c = FeatureClassifier.fit(FeatureClassifier.Config.small(3, ShapesDataset.numFigures(),
                ShapesDataset.numColours()), train.field(0), List.of(train.field(1), train.field(2)),
                FeatureClassifier.FitOptions.defaults(), rng.split());
        cpu = cpuSeconds() - cpu;
        double figure = c.accuracy(test.field(0), java.util.Arrays.asList(test.field(1), null));
        double both = c.accuracy(test.field(0), List.of(test.field(1), test.field(2)));
        System.out.printf("shapes 16x16: figure %.4f, figure and colour %.4f on 1024 held out (fit %.0f s CPU)%n",
                figure, both, cpu);
        assertTrue(figure >= 0.98, "figure accuracy " + figure);
        assertTrue(both >= 0.98, "figure and colour accuracy " + both);
    }

    @Test
    void reachesASmallCnnsAccuracyOnFashionMnist() throws Exception {
        Path dir = Path.of(FashionMnist.DEBIAN_DIR);
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.toFile().isDirectory(), "dataset-fashion-mnist not installed");
        TensorDataset train = FashionMnist.load(dir, FashionMnist.Split.TRAIN, 60_000);
        TensorDataset test = FashionMnist.load(dir, FashionMnist.Split.TEST, 10_000);
        Tensor x = train.field(0).mul(2.0).sub(1.0);
        double cpu = cpuSeconds();
        FeatureClassifier c = FeatureClassifier.fit(FeatureClassifier.Config.centred(1, 28,
                FashionMnist.CLASS_NAMES.size()), x, List.of(train.field(1)), FeatureClassifier.FitOptions.fashionMnist(),
                new Rng(1));
        cpu = cpuSeconds() - cpu;
        double acc = c.accuracy(test.field(0).mul(2.0).sub(1.0), List.of(test.field(1)));
        System.out.printf("fashion-mnist: accuracy %.4f on the 10,000 test images (fit %.0f s CPU)%n", acc, cpu);
        assertTrue(acc >= 0.85, "accuracy " + acc);
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }
}
