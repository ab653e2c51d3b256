package org.latent4j.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017) — and MNIST, whose files have the same names — from IDX
 * files: 28×28 grey images of ten classes, 60,000 for training and 10,000 for testing. Debian's
 * {@code dataset-fashion-mnist} package installs them in {@value #DEBIAN_DIR}, where {@link #load(Split)}
 * looks; {@link #load(Path, Split, int)} takes another directory. Images are {@code (N, 1, 28, 28)} float32
 * in [0, 1]; labels {@code (N)} int64.
 */
public final class FashionMnist {
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Which files: {@code train-*} (60,000) or {@code t10k-*} (10,000). */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private FashionMnist() {
    }

    /** The whole split from {@value #DEBIAN_DIR}. */
    public static TensorDataset load(Split split) throws IOException {
        return load(Path.of(DEBIAN_DIR), split, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} examples of a split from {@code dir}, which holds
     * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...}, each plain or
     * {@code .gz}.
     */
    public static TensorDataset load(Path dir, Split split, int limit) throws IOException {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
        Tensor pixels = Idx.read(images, limit);
        Tensor classes = Idx.read(labels, limit);
        if (pixels.rank() != 3 || classes.rank() != 1 || pixels.size(0) != classes.size(0)) {
            throw new org.latent4j.core.io.FileFormatException(dir, "fashion-mnist: images "
                    + org.latent4j.core.tensor.Shape.format(pixels.shape()) + " and labels "
                    + org.latent4j.core.tensor.Shape.format(classes.shape()) + " do not match");
        }
        long n = pixels.size(0);
        Tensor x = Tensor.wrap(pixels.value().castTo(DType.FLOAT32.nd4j()).divi(255.0)
                .reshape('c', n, 1, pixels.size(1), pixels.size(2)));   // (N, 1, H, W)
        Tensor y = classes.to(DType.INT64);
        pixels.close();
        classes.close();
        return new TensorDataset(x, y);
    }

    private static Path find(Path dir, String name) throws NoSuchFileException {
        for (Path p : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.resolve(name + ".gz").toString(), null,
                "Fashion-MNIST not found; install it with: sudo apt-get install dataset-fashion-mnist"
                        + " (or pass the directory holding the IDX files)");
    }
}
