package org.latent4j.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.latent4j.core.io.FileFormatException;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed (detected by its magic bytes): a
 * 4-byte magic {@code 0x00 0x00 TYPE RANK}, {@code RANK} big-endian int32 dimensions, then big-endian data.
 * Types: 0x08 unsigned byte (read as uint8), 0x09 signed byte, 0x0B int16, 0x0C int32 (read as int32),
 * 0x0D float32, 0x0E float64. Sizes are checked against the file before anything large is allocated.
 */
public final class Idx {
    private static final int MAX_BYTES = Integer.MAX_VALUE - 64;

    private Idx() {
    }

    /** The whole array in {@code file}. */
    public static Tensor read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE);
    }

    /** The first {@code limit} items (along the first axis) of the array in {@code file}. */
    public static Tensor read(Path file, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("Idx.read: limit must be non-negative, got " + limit);
        }
        long fileSize = Files.size(file);
        boolean gzip = isGzip(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                gzip ? new GZIPInputStream(Files.newInputStream(file), 1 << 16) : Files.newInputStream(file), 1 << 16))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new FileFormatException(file, "idx: file is shorter than the 4-byte magic number");
            }
            int type = (magic >>> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0) {
                throw new FileFormatException(file, String.format("idx: bad magic number 0x%08X (expected 0x0000TTRR; "
                        + "not an IDX file?)", magic));
            }
            int width = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw new FileFormatException(file, String.format("idx: unknown element type 0x%02X", type));
            };
            if (rank < 1) {
                throw new FileFormatException(file, "idx: rank 0 (no dimensions)");
            }
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                try {
                    shape[i] = Integer.toUnsignedLong(in.readInt());
                } catch (EOFException e) {
                    throw new FileFormatException(file, "idx: file ends inside dimension " + i + " of " + rank);
                }
                if (shape[i] > Integer.MAX_VALUE) {
                    throw new FileFormatException(file, "idx: dimension " + i + " is " + shape[i] + " (negative as int32)");
                }
            }
            shape[0] = Math.min(shape[0], limit);
            long bytes;
            try {
                bytes = width;
                for (long d : shape) {
                    bytes = Math.multiplyExact(bytes, d);
                }
            } catch (ArithmeticException e) {
                throw new FileFormatException(file, "idx: shape " + Shape.format(shape) + " overflows 64 bits");
            }
            if (bytes > MAX_BYTES) {
                throw new FileFormatException(file, "idx: " + Shape.format(shape) + " needs " + bytes
                        + " bytes, more than one array can hold; read fewer items with a limit");
            }
            long headerBytes = 4 + 4L * rank;
            if (!gzip && headerBytes + bytes > fileSize) {
                throw new FileFormatException(file, "idx: " + Shape.format(shape) + " needs " + bytes
                        + " data bytes but the file has " + (fileSize - headerBytes) + " (truncated file?)");
            }
            byte[] data = readBounded(file, in, (int) bytes);
            return Tensor.wrap(toArray(data, type, shape));
        } catch (java.util.zip.ZipException e) {
            throw new FileFormatException(file, "idx: corrupt gzip stream: " + e.getMessage());
        }
    }

    /**
     * Writes {@code t} (uint8, int32, float32 or float64) as IDX, gzip-compressed when the name ends in
     * {@code .gz}.
     */
    public static void write(Path file, Tensor t) throws IOException {
        int type = switch (t.dtype()) {
            case UINT8 -> 0x08;
            case INT32 -> 0x0C;
            case FLOAT32 -> 0x0D;
            case FLOAT64 -> 0x0E;
            default -> throw new IllegalArgumentException("Idx.write: " + t.dtype() + " has no IDX type "
                    + "(uint8, int32, float32, float64)");
        };
        long[] shape = t.shape();
        if (shape.length == 0 || shape.length > 255) {
            throw new IllegalArgumentException("Idx.write: rank must be in [1, 255], got " + shape.length);
        }
        int width = (int) t.dtype().nd4j().width();
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(4 + 4L * shape.length + t.numel() * width))
                .order(ByteOrder.BIG_ENDIAN);
        buf.putInt((type << 8) | shape.length);
        for (long d : shape) {
            buf.putInt(Math.toIntExact(d));
        }
        if (t.dtype() == DType.UINT8) {
            for (long v : t.toLongArray()) {
                buf.put((byte) v);
            }
        } else if (t.dtype() == DType.INT32) {
            for (long v : t.toLongArray()) {
                buf.putInt((int) v);
            }
        } else if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) {
                buf.putFloat(v);
            }
        } else {
            for (double v : t.toDoubleArray()) {
                buf.putDouble(v);
            }
        }
        try (OutputStream out = file.getFileName().toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(buf.array());
        }
    }

    private static byte[] readBounded(Path file, InputStream in, int bytes) throws IOException {
        // Read in chunks that grow with what actually arrives, so a lying gzip header cannot make us allocate.
        byte[] data = new byte[Math.min(bytes, 1 << 20)];
        int done = 0;
        while (done < bytes) {
            if (done == data.length) {
                data = java.util.Arrays.copyOf(data, (int) Math.min(bytes, 2L * data.length));
            }
            int r;
            try {
                r = in.read(data, done, data.length - done);
            } catch (EOFException e) {   // a gzip stream cut short
                r = -1;
            }
            if (r < 0) {
                throw new FileFormatException(file, "idx: data ends after " + done + " of " + bytes
                        + " bytes (truncated file?)");
            }
            done += r;
        }
        return data;
    }

    private static org.nd4j.linalg.api.ndarray.INDArray toArray(byte[] data, int type, long[] shape) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        int n = (int) Shape.numel(shape);
        return switch (type) {
            case 0x08 -> {
                org.nd4j.linalg.api.ndarray.INDArray signed = Nd4j.createFromArray(data);   // int8: same bits
                org.nd4j.linalg.api.ndarray.INDArray unsigned = signed.castTo(DType.UINT8.nd4j());
                signed.close();
                yield unsigned.reshape('c', shape);
            }
            case 0x09 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data[i];
                }
                yield Nd4j.createFromArray(v).reshape('c', shape);
            }
            case 0x0B -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.getShort();
                }
                yield Nd4j.createFromArray(v).reshape('c', shape);
            }
            case 0x0C -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v).reshape('c', shape);
            }
            case 0x0D -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            default -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield Nd4j.create(v, shape, 'c');
            }
        };
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1F && in.read() == 0x8B;
        }
    }
}
