package org.latent4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.io.FileFormatException;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

class IdxTest {
    @TempDir
    Path tmp;

    @Test
    void tinyFilesRoundTripPlainAndGzipped() throws IOException {
        Tensor bytes = Tensor.of(new double[] {0, 1, 128, 255, 7, 9}, 2, 3).to(DType.UINT8);
        for (String name : new String[] {"tiny-idx2-ubyte", "tiny-idx2-ubyte.gz"}) {
            Path f = tmp.resolve(name);
            Idx.write(f, bytes);
            Tensor back = Idx.read(f);
            assertEquals(DType.UINT8, back.dtype());
            assertArrayEquals(new long[] {2, 3}, back.shape());
            assertArrayEquals(new long[] {0, 1, 128, 255, 7, 9}, back.toLongArray());
            assertArrayEquals(new long[] {0, 1, 128}, Idx.read(f, 1).toLongArray());
        }
        Path floats = tmp.resolve("f-idx1");
        Idx.write(floats, Tensor.of(new float[] {1.5f, -2}, 2));
        assertArrayEquals(new float[] {1.5f, -2}, Idx.read(floats).toFloatArray());
        Path ints = tmp.resolve("i-idx1");
        Idx.write(ints, Tensor.of(new double[] {-3, 70000}, 2).to(DType.INT32));
        assertArrayEquals(new long[] {-3, 70000}, Idx.read(ints).toLongArray());
    }

    @Test
    void corruptHeadersAreNamed() throws IOException {
        Path f = tmp.resolve("bad");
        Files.write(f, new byte[] {1, 2, 8, 1});
        assertMessage(f, "idx: bad magic number 0x01020801 (expected 0x0000TTRR; not an IDX file?)");
        Files.write(f, new byte[] {0, 0, 0x42, 1, 0, 0, 0, 1, 0});
        assertMessage(f, "idx: unknown element type 0x42");
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0, 0, 2});
        assertMessage(f, "idx: file ends inside dimension 1 of 3");
        Files.write(f, ByteBuffer.allocate(12).putInt(0x0801 + 1).putInt(10).putInt(10).array());
        assertMessage(f, "idx: (10,10) needs 100 data bytes but the file has 0 (truncated file?)");
        Files.write(f, ByteBuffer.allocate(12).putInt(0x0802).putInt(0x7FFFFFFF).putInt(0x7FFFFFFF).array());
        assertMessage(f, "idx: (2147483647,2147483647) needs 4611686014132420609 bytes, more than one array can hold");
        Path gz = tmp.resolve("cut.gz");
        Idx.write(gz, Tensor.zeros(50, 4).to(DType.UINT8));
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length - 12));   // lose the gzip trailer and some data
        FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.read(gz));
        assertTrue(e.getMessage().contains("idx:"), e.getMessage());
    }

    private static void assertMessage(Path f, String message) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f + ": " + message), e.getMessage());
    }

    /** The real Fashion-MNIST test split installed by Debian's dataset-fashion-mnist (CI installs it). */
    @Test
    void installedFashionMnistLoads() throws IOException {
        TensorDataset d = FashionMnist.load(Path.of(FashionMnist.DEBIAN_DIR), FashionMnist.Split.TEST, 100);
        assertEquals(100, d.size());
        assertArrayEquals(new long[] {100, 1, 28, 28}, d.field(0).shape());
        assertEquals(DType.FLOAT32, d.field(0).dtype());
        long[] labels = d.field(1).toLongArray();
        assertArrayEquals(new long[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(labels, 10));
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get((int) labels[0]));
        float[] first = d.get(0).get(0).toFloatArray();
        double sum = 0;
        float max = 0;
        for (float v : first) {
            sum += v;
            max = Math.max(max, v);
        }
        assertEquals(33456 / 255.0, sum, 1e-3);   // from Python: sum of the first image's bytes
        assertEquals(1.0f, max);
        Tensor header = Idx.read(Path.of(FashionMnist.DEBIAN_DIR, "t10k-labels-idx1-ubyte.gz"), 0);
        assertArrayEquals(new long[] {0}, header.shape());
    }

    /** The whole training split, batched: run with -Dsurefire.excludedGroups=soak. */
    @Test
    @Tag("slow")
    void wholeFashionMnistTrainingSplitLoadsAndBatches() throws IOException {
        long start = System.nanoTime();
        TensorDataset train = FashionMnist.load(FashionMnist.Split.TRAIN);
        assertEquals(60_000, train.size());
        int[] perClass = new int[10];
        for (long y : train.field(1).toLongArray()) {
            perClass[(int) y]++;
        }
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, perClass);
        int batches = 0;
        try (DataLoader.Epoch e = DataLoader.of(train).batchSize(512).shuffle(new org.latent4j.core.tensor.Rng(0))
                .prefetch(2).epoch()) {
            for (Batch b : e) {
                batches++;
                b.close();
            }
        }
        assertEquals(118, batches);
        System.out.printf("Fashion-MNIST train: loaded and batched in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @Test
    void aMissingDatasetSaysHowToInstallIt() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> FashionMnist.load(tmp, FashionMnist.Split.TRAIN, 10));
        assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());
    }
}
