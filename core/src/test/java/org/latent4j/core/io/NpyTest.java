package org.latent4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

class NpyTest {
    static final Path RESOURCES = SafeTensorsTest.RESOURCES;

    @TempDir
    Path tmp;

    @Test
    void arraysSavedByNumpyLoadWithEqualValues() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(RESOURCES.resolve("numpy_expected.json").toFile()).get("arrays");
        Map<String, DType> dtypes = Map.of("numpy_f4", DType.FLOAT32, "numpy_f8", DType.FLOAT64, "numpy_i4",
                DType.INT32, "numpy_i8", DType.INT64, "numpy_u1", DType.UINT8, "numpy_scalar", DType.FLOAT64);
        for (var e : dtypes.entrySet()) {
            Tensor t = Npy.read(RESOURCES.resolve(e.getKey() + ".npy"));
            JsonNode want = expected.get(e.getKey());
            assertEquals(e.getValue(), t.dtype(), e.getKey());
            assertArrayEquals(new ObjectMapper().convertValue(want.get("shape"), long[].class), t.shape(), e.getKey());
            if (t.dtype() == DType.INT64) {
                assertArrayEquals(new ObjectMapper().convertValue(want.get("data"), long[].class), t.toLongArray());
            } else {
                assertArrayEquals(new ObjectMapper().convertValue(want.get("data"), double[].class),
                        t.to(DType.FLOAT64).toDoubleArray(), 0.0, e.getKey());
            }
        }
    }

    @Test
    void version2HeaderIsRead() throws IOException {
        Tensor t = Npy.read(RESOURCES.resolve("numpy_v2.npy"));
        assertArrayEquals(new long[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.toFloatArray());
    }

    @Test
    void fortranOrderIsRefusedWithAHowTo() {
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> Npy.read(RESOURCES.resolve("numpy_fortran.npy")));
        assertTrue(e.getMessage().endsWith("npy: Fortran-ordered arrays are not supported; save with "
                + "numpy.save(path, numpy.ascontiguousarray(a))"), e.getMessage());
    }

    /** check_io.py loads the checked-in latent4j.npy in NumPy; our writer must keep producing those bytes. */
    @Test
    void writtenBytesEqualTheFileCheckedByNumpy() throws IOException {
        Path f = Path.of("target/io-check/latent4j.npy");
        Files.createDirectories(f.getParent());
        Npy.write(f, Tensor.of(new double[] {0, 1.5, 3, 4.5, 6, 7.5}, 2, 3));
        assertArrayEquals(Files.readAllBytes(RESOURCES.resolve("latent4j.npy")), Files.readAllBytes(f),
                "writer output changed: copy " + f + " to " + RESOURCES + " and re-run check_io.py");
    }

    @Test
    void writeThenReadRoundTripsEveryNumpyDtype() throws IOException {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.INT32, DType.INT64,
                DType.UINT8, DType.BOOL}) {
            Tensor t = Tensor.of(new double[] {1, 0, 3, 4}, 4).to(d);
            Path f = tmp.resolve(d + ".npy");
            Npy.write(f, t);
            Tensor back = Npy.read(f);
            assertEquals(d, back.dtype());
            assertArrayEquals(t.to(DType.FLOAT64).toDoubleArray(), back.to(DType.FLOAT64).toDoubleArray(), 0.0);
            assertEquals(0, (Files.size(f) - 4 * d.nd4j().width()) % 64, "data starts on a 64-byte boundary");
        }
        Path s = tmp.resolve("scalar.npy");
        Npy.write(s, Tensor.scalar(DType.FLOAT64, 2.5));
        assertEquals(0, Npy.read(s).rank());
        assertEquals(2.5, Npy.read(s).item());
    }

    @Test
    void truncatedAndForeignFilesAreRefused() throws IOException {
        byte[] good = Files.readAllBytes(RESOURCES.resolve("numpy_f4.npy"));
        Path f = tmp.resolve("bad.npy");
        Files.write(f, Arrays.copyOf(good, good.length - 3));
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().endsWith("npy: <f4 (2,3) needs 24 data bytes but the file has 21 (truncated file?)"),
                e.getMessage());
        Files.write(f, "hello world".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(FileFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().endsWith("npy: not a .npy file (no \\x93NUMPY magic)"), e.getMessage());
        byte[] bigEndian = good.clone();
        String head = new String(bigEndian, StandardCharsets.ISO_8859_1).replace("'<f4'", "'>f4'");
        Files.write(f, head.getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(FileFormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("big-endian dtype '>f4' is not supported"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.write(f, Tensor.zeros(2).to(DType.BFLOAT16)));
    }
}
