package org.latent4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

class NativeBytesTest {
    @TempDir
    Path tmp;

    /** Chunks of 7 bytes split elements across chunk boundaries, as 16 MB chunks do for large tensors. */
    @Test
    void chunkedCopiesPreserveEveryByte() throws IOException {
        float[] values = new float[25];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 1.25f - 3;
        }
        INDArray src = Tensor.of(values, 5, 5).value();
        Path f = tmp.resolve("raw");
        try (FileChannel out = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[] {9, 9, 9}));   // data starts at offset 3
            NativeBytes.drain(src, 100, out, 7);
        }
        INDArray dst = NativeBytes.allocate(DType.FLOAT32, new long[] {5, 5});
        try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ)) {
            NativeBytes.fill(dst, 100, in, 3, 7);
            assertArrayEquals(values, dst.data().asFloat());
            assertThrows(EOFException.class, () -> NativeBytes.fill(dst, 100, in, 10, 7));
        }
        assertArrayEquals(new long[] {103}, new long[] {Files.size(f)});
    }
}
