package org.latent4j.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.latent4j.core.tensor.DType;

/**
 * Bulk copies between files and the off-heap memory of ND4J arrays, in chunks of at most 16 MB, without
 * per-element loops or a second heap copy. The formats we read store little-endian numbers, as does the
 * native memory of the platforms ND4J supports; on a big-endian machine these copies refuse to run.
 */
final class NativeBytes {
    private static final int CHUNK = 1 << 24;

    private NativeBytes() {
    }

    /** A fresh row-major array of {@code shape}, its contents undefined until filled. */
    static INDArray allocate(DType dtype, long[] shape) {
        requireLittleEndian();
        for (long d : shape) {
            if (d == 0) {
                return Nd4j.create(dtype.nd4j(), shape);
            }
        }
        return Nd4j.createUninitialized(dtype.nd4j(), shape, 'c');
    }

    /**
     * Fills {@code array} (fresh, contiguous) with {@code byteCount} bytes read from {@code channel} at
     * {@code position}.
     *
     * @throws EOFException if the file ends first (it shrank after it was validated)
     */
    static void fill(INDArray array, long byteCount, FileChannel channel, long position) throws IOException {
        fill(array, byteCount, channel, position, CHUNK);
    }

    static void fill(INDArray array, long byteCount, FileChannel channel, long position, int chunk)
            throws IOException {
        if (byteCount == 0) {
            return;
        }
        BytePointer base = pointer(array, byteCount);
        for (long done = 0; done < byteCount; ) {
            int n = (int) Math.min(chunk, byteCount - done);
            ByteBuffer target = base.position(done).limit(done + n).asByteBuffer().slice();   // [done, done + n)
            while (target.hasRemaining()) {
                int r = channel.read(target, position + done + target.position());
                if (r < 0) {
                    throw new EOFException("file ended " + (byteCount - done - target.position())
                            + " bytes before the end of the data");
                }
            }
            done += n;
        }
    }

    /** Writes the {@code byteCount} bytes of {@code array} (fresh, contiguous) to {@code out}. */
    static void drain(INDArray array, long byteCount, WritableByteChannel out) throws IOException {
        drain(array, byteCount, out, CHUNK);
    }

    static void drain(INDArray array, long byteCount, WritableByteChannel out, int chunk) throws IOException {
        if (byteCount == 0) {
            return;
        }
        BytePointer base = pointer(array, byteCount);
        for (long done = 0; done < byteCount; ) {
            int n = (int) Math.min(chunk, byteCount - done);
            ByteBuffer source = base.position(done).limit(done + n).asByteBuffer().slice();
            while (source.hasRemaining()) {
                out.write(source);
            }
            done += n;
        }
    }

    /** {@code array} itself if it owns a row-major buffer of exactly its elements, otherwise a packed copy. */
    static INDArray packed(INDArray array) {
        if (array.isView() || array.ordering() != 'c' || array.data().length() != array.length()
                || array.data().offset() != 0) {
            return array.dup('c');
        }
        return array;
    }

    private static BytePointer pointer(INDArray array, long byteCount) {
        requireLittleEndian();
        BytePointer p = new BytePointer(array.data().addressPointer());
        p.capacity(byteCount);
        return p;
    }

    private static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("tensor files: only little-endian platforms are supported");
        }
    }
}
