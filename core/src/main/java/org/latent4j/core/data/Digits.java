package org.latent4j.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.latent4j.core.io.FileFormatException;
import org.latent4j.core.tensor.Tensor;

/**
 * scikit-learn's handwritten digits (the UCI optical recognition set): 1,797 grey 8×8 images of the digits
 * 0–9 with intensities 0–16, read from the {@code digits.csv.gz} that Debian's {@code python3-sklearn}
 * installs (64 pixel columns then the label, one image per line). Images are {@code (N, 1, 8, 8)} float32
 * in [0, 1] (intensity / 16); labels {@code (N)} int64.
 */
public final class Digits {
    public static final String DEBIAN_FILE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
    private static final int PIXELS = 64;

    private Digits() {
    }

    public static TensorDataset load() throws IOException {
        return load(Path.of(DEBIAN_FILE));
    }

    public static TensorDataset load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "scikit-learn's digits not found; install them with: sudo apt-get install python3-sklearn");
        }
        java.util.List<float[]> rows = new java.util.ArrayList<>();
        java.util.List<Long> labels = new java.util.ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (cells.length != PIXELS + 1) {
                    throw new FileFormatException(file, "digits: line " + lineNo + " has " + cells.length
                            + " columns, expected " + (PIXELS + 1));
                }
                float[] px = new float[PIXELS];
                try {
                    for (int i = 0; i < PIXELS; i++) {
                        px[i] = Float.parseFloat(cells[i]) / 16f;
                    }
                    labels.add((long) Float.parseFloat(cells[PIXELS]));
                } catch (NumberFormatException e) {
                    throw new FileFormatException(file, "digits: line " + lineNo + ": " + e.getMessage());
                }
                rows.add(px);
            }
        }
        int n = rows.size();
        float[] all = new float[n * PIXELS];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, all, i * PIXELS, PIXELS);
            y[i] = labels.get(i);
        }
        return new TensorDataset(Tensor.of(all, n, 1, 8, 8), Tensor.ofLongs(y, n));   // (N, 1, 8, 8)
    }
}
