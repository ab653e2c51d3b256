package org.latent4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's {@code .npy} format, for exchanging samples and activations with Python: the magic
 * {@code \x93NUMPY}, a version byte pair, a little-endian header length (2 bytes in version 1.0, 4 in 2.0
 * and 3.0), a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}
 * padded so the data starts at a multiple of 64, then the raw row-major data.
 *
 * <p>Reads float32, float64, float16, int32, int64, uint8 and bool in C order (a Fortran-ordered or
 * big-endian array is refused with a message saying how to convert it); writes version 1.0 (2.0 when the
 * header does not fit).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private Npy() {
    }

    /** Reads an array saved by {@code numpy.save}. */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (pre.hasRemaining() && ch.read(pre, pre.position()) >= 0) {
                // fill the fixed-size preamble
            }
            if (pre.position() < 10 || !startsWithMagic(pre)) {
                throw new FileFormatException(file, "npy: not a .npy file (no \\x93NUMPY magic)");
            }
            int major = pre.get(6);
            long headerLen;
            int lenBytes;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(pre.getShort(8));
                lenBytes = 2;
            } else if (major == 2 || major == 3) {
                if (pre.position() < 12) {
                    throw new FileFormatException(file, "npy: file ends inside the header length");
                }
                headerLen = Integer.toUnsignedLong(pre.getInt(8));
                lenBytes = 4;
            } else {
                throw new FileFormatException(file, "npy: unsupported format version " + major + "." + pre.get(7));
            }
            long dataStart = 8 + lenBytes + headerLen;
            if (headerLen > MAX_HEADER_BYTES || dataStart > size) {
                throw new FileFormatException(file, "npy: header length " + headerLen + " exceeds the file ("
                        + size + " bytes)");
            }
            ByteBuffer head = ByteBuffer.allocate((int) headerLen);
            while (head.hasRemaining() && ch.read(head, 8 + lenBytes + head.position()) >= 0) {
                // read the whole header
            }
            Header h = parseHeader(file, new String(head.array(), StandardCharsets.ISO_8859_1));
            long bytes;
            try {
                bytes = h.dtype.nd4j().width();
                for (long d : h.shape) {
                    bytes = Math.multiplyExact(bytes, d);
                }
            } catch (ArithmeticException e) {
                throw new FileFormatException(file, "npy: shape " + Shape.format(h.shape) + " overflows 64 bits");
            }
            if (size - dataStart != bytes) {
                throw new FileFormatException(file, "npy: " + h.descr + " " + Shape.format(h.shape) + " needs "
                        + bytes + " data bytes but the file has " + (size - dataStart)
                        + (size - dataStart < bytes ? " (truncated file?)" : " (trailing bytes)"));
            }
            INDArray a = NativeBytes.allocate(h.dtype, h.shape);
            try {
                NativeBytes.fill(a, bytes, ch, dataStart);
            } catch (IOException e) {
                a.close();
                throw new FileFormatException(file, "npy: " + e.getMessage(), e);
            }
            return Tensor.wrap(a);
        }
    }

    /** Writes {@code t} so that {@code numpy.load} reads it back with the same dtype and shape. */
    public static void write(Path file, Tensor t) throws IOException {
        INDArray v = t.value();
        DType dtype = DType.of(v.dataType());
        String descr = descr(dtype);
        StringBuilder shape = new StringBuilder("(");
        long[] s = v.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(i > 0 ? ", " : "").append(s[i]);
        }
        shape.append(s.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int lenBytes = dict.length() + 11 <= 65535 ? 2 : 4;
        int unpadded = 6 + 2 + lenBytes + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer pre = ByteBuffer.allocate(8 + lenBytes + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        pre.put(MAGIC).put((byte) (lenBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lenBytes == 2) {
            pre.putShort((short) header.length());
        } else {
            pre.putInt(header.length());
        }
        pre.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            INDArray packed = NativeBytes.packed(v);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (pre.hasRemaining()) {
                    out.write(pre);
                }
                NativeBytes.drain(packed, v.length() * dtype.nd4j().width(), out);
            } finally {
                if (packed != v) {
                    packed.close();
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String descr(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case UINT8 -> "|u1";
            case BOOL -> "|b1";
            case BFLOAT16 -> throw new IllegalArgumentException(
                    "npy: NumPy has no bfloat16; convert first with tensor.to(DType.FLOAT32)");
        };
    }

    private record Header(String descr, DType dtype, long[] shape) {
    }

    private static Header parseHeader(Path file, String text) throws FileFormatException {
        Map<String, Object> dict = new DictParser(file, text).parse();
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shape instanceof long[] s)) {
            throw new FileFormatException(file, "npy: header needs 'descr' (string), 'fortran_order' (bool) and "
                    + "'shape' (tuple): " + text.trim());
        }
        if (f) {
            throw new FileFormatException(file, "npy: Fortran-ordered arrays are not supported; save with "
                    + "numpy.save(path, numpy.ascontiguousarray(a))");
        }
        if (d.startsWith(">")) {
            throw new FileFormatException(file, "npy: big-endian dtype '" + d + "' is not supported; save with "
                    + "a.astype(a.dtype.newbyteorder('<'))");
        }
        String kind = d.startsWith("<") || d.startsWith("|") || d.startsWith("=") ? d.substring(1) : d;
        DType dtype = switch (kind) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "f2" -> DType.FLOAT16;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            case "u1" -> DType.UINT8;
            case "b1" -> DType.BOOL;
            default -> throw new FileFormatException(file, "npy: unsupported dtype '" + d
                    + "' (supported: float32, float64, float16, int32, int64, uint8, bool)");
        };
        return new Header(d, dtype, s);
    }

    /** Reads the small subset of Python literals a .npy header uses: strings, True/False, tuples of ints. */
    private static final class DictParser {
        private final Path file;
        private final String s;
        private int i;

        DictParser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        Map<String, Object> parse() throws FileFormatException {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                out.put(key, value());
                if (peek() == ',') {
                    i++;
                }
            }
            return out;
        }

        private Object value() throws FileFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                i++;
                List<Long> dims = new ArrayList<>();
                while (peek() != ')') {
                    int start = i;
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    if (start == i || i - start > 18) {
                        throw error("expected a dimension");
                    }
                    dims.add(Long.parseLong(s.substring(start, i)));
                    if (peek() == ',') {
                        i++;
                    }
                }
                i++;
                if (dims.size() > 64) {
                    throw error("more than 64 dimensions");
                }
                return dims.stream().mapToLong(Long::longValue).toArray();
            }
            throw error("unexpected value");
        }

        private String string() throws FileFormatException {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted key");
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String v = s.substring(i + 1, end);
            i = end + 1;
            return v;
        }

        private void expect(char c) throws FileFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private char peek() throws FileFormatException {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length()) {
                throw error("header ends early");
            }
            return s.charAt(i);
        }

        private FileFormatException error(String what) {
            return new FileFormatException(file, "npy: bad header at character " + i + " (" + what + "): " + s.trim());
        }
    }

    private static boolean startsWithMagic(ByteBuffer b) {
        for (int k = 0; k < MAGIC.length; k++) {
            if (b.get(k) != MAGIC[k]) {
                return false;
            }
        }
        return true;
    }

    private static FileChannel open(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "npy file not found");
        }
    }
}
