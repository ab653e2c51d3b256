package org.latent4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Tensor;

class SafeTensorsTest {
    static final Path RESOURCES = Path.of("src/test/resources/io");

    @TempDir
    Path tmp;

    @Test
    void pyTorchFileLoadsWithEqualValuesInDataOrder() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(RESOURCES.resolve("torch_expected.json").toFile()).get("tensors");
        Map<String, Tensor> loaded = SafeTensors.load(RESOURCES.resolve("torch.safetensors"));
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertEquals(names, new ArrayList<>(loaded.keySet()));
        for (String name : names) {
            JsonNode e = expected.get(name);
            Tensor t = loaded.get(name);
            assertEquals(e.get("dtype").asText(), SafeTensors.code(t.dtype()), name);
            long[] shape = new ObjectMapper().convertValue(e.get("shape"), long[].class);
            assertArrayEquals(shape, t.shape(), name);
            double[] want = new ObjectMapper().convertValue(e.get("data"), double[].class);
            if (t.dtype() == DType.INT64) {
                long[] wantLongs = new ObjectMapper().convertValue(e.get("data"), long[].class);
                assertArrayEquals(wantLongs, t.toLongArray(), name);
            } else {
                assertArrayEquals(want, t.to(DType.FLOAT64).toDoubleArray(), 0.0, name);
            }
        }
        try (SafeTensorsReader r = SafeTensors.open(RESOURCES.resolve("torch.safetensors"))) {
            assertEquals(Map.of("format", "pt", "source", "fixtures_io.py"), r.metadata());
            assertEquals("layer.weight F32 (2,3)", r.entry("layer.weight").toString());
        }
    }

    @Test
    void everyDtypeRoundTripsIncludingViewsAndScalars() throws IOException {
        Map<String, Tensor> in = sample();
        in.put("transposed", Tensor.wrap(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).value().transpose()));
        Path f = tmp.resolve("all.safetensors");
        SafeTensors.save(f, in, Map.of("note", "round trip"));
        Map<String, Tensor> out = SafeTensors.load(f);
        assertEquals(new ArrayList<>(in.keySet()), new ArrayList<>(out.keySet()));
        for (String name : in.keySet()) {
            assertEquals(in.get(name).dtype(), out.get(name).dtype(), name);
            assertArrayEquals(in.get(name).shape(), out.get(name).shape(), name);
            assertArrayEquals(in.get(name).to(DType.FLOAT64).toDoubleArray(),
                    out.get(name).to(DType.FLOAT64).toDoubleArray(), 0.0, name);
        }
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, out.get("transposed").toFloatArray());
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    /**
     * What we write must be what PyTorch verified: {@code check_io.py} loaded the checked-in
     * {@code latent4j.safetensors} in Python and compared it with the values it computes itself.
     */
    @Test
    void writtenBytesEqualTheFileCheckedByPython() throws IOException {
        Path f = Path.of("target/io-check/latent4j.safetensors");
        Files.createDirectories(f.getParent());
        SafeTensors.save(f, sample(), Map.of("writer", "latent4j"));
        byte[] checked = Files.readAllBytes(RESOURCES.resolve("latent4j.safetensors"));
        assertArrayEquals(checked, Files.readAllBytes(f),
                "writer output changed: copy " + f + " to " + RESOURCES + " and re-run check_io.py");
    }

    /** Deterministic values of every dtype; check_io.py recomputes them: element i of tensor k is (i - 2) * 0.5 + k. */
    static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        DType[] order = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT64, DType.INT32,
                DType.UINT8, DType.BOOL};
        for (int k = 0; k < order.length; k++) {
            double[] d = new double[6];
            for (int i = 0; i < 6; i++) {
                d[i] = order[k] == DType.BOOL ? i % 2 : order[k].isFloatingPoint() ? (i - 2) * 0.5 + k : i + k;
            }
            m.put("t." + SafeTensors.code(order[k]).toLowerCase(), Tensor.of(d, 2, 3).to(order[k]));
        }
        m.put("scalar", Tensor.scalar(DType.FLOAT32, 3.5));
        return m;
    }

    // ---- hostile and broken files ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown dtype|{\"a\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}|1|tensor 'a': unsupported dtype 'F8'",
        "negative dim|{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}|4|tensor 'a': shape[0] must be a non-negative integer",
        "size mismatch|{\"a\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,40]}}|40|tensor 'a': data_offsets [0, 40] hold 40 bytes but F32 (3,4) needs 48",
        "overflow|{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}|8|tensor 'a': shape [4294967296, 4294967296] overflows 64 bits",
        "huge claimed|{\"a\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,4398046511104]}}|8|cover 4398046511104 bytes of data but the file holds 8 (truncated file?)",
        "overlap|{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}|6|tensor 'b': data_offsets [2, 6] overlaps tensor 'a'",
        "gap|{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}|6|tensor 'a': data_offsets [2, 6] leaves a gap of 2 bytes after the header",
        "truncated data|{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}|10|cover 16 bytes of data but the file holds 10 (truncated file?)",
        "trailing bytes|{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}|9|cover 4 bytes of data but the file holds 9 (trailing bytes)",
        "duplicate name|{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}|1|header is not valid JSON: Duplicate field 'a'",
        "not json|{\"a\": nope}|0|header is not valid JSON",
        "not an object|[1,2]|0|header does not start with '{'",
        "bad offsets|{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1]}}|1|tensor 'a': data_offsets must be an array [begin, end]",
        "reversed offsets|{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[3,1]}}|3|tensor 'a': data_offsets [3, 1] end before they begin",
        "float dim|{\"a\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,1]}}|1|tensor 'a': shape[0] must be a non-negative integer, got 1.5",
        "metadata not strings|{\"__metadata__\":{\"k\":1}}|0|__metadata__ 'k' is not a string",
    })
    void hostileHeadersAreRefusedWithAClearMessage(String label, String header, int dataBytes, String message)
            throws IOException {
        Path f = craft(header, dataBytes);
        FileFormatException e = assertThrows(FileFormatException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains(message), () -> label + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void absurdHeaderLengthIsRefusedBeforeAllocating() throws IOException {
        Path f = tmp.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).array());
        FileFormatException e = assertThrows(FileFormatException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains("header length 4611686018427387904 is outside [2, 104857600]"), e.getMessage());
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        e = assertThrows(FileFormatException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains("header length 1000 exceeds the 8 bytes after the length field"), e.getMessage());
        Files.write(f, new byte[] {1, 2, 3});
        e = assertThrows(FileFormatException.class, () -> SafeTensors.load(f));
        assertTrue(e.getMessage().contains("too short for the 8-byte header length"), e.getMessage());
    }

    @Test
    void everyTruncationOfAValidFileIsRefused() throws IOException {
        Path good = tmp.resolve("good.safetensors");
        SafeTensors.save(good, sample());
        byte[] all = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.safetensors");
        for (int len = 0; len < all.length; len += 7) {
            Files.write(cut, java.util.Arrays.copyOf(all, len));
            assertThrows(FileFormatException.class, () -> SafeTensors.load(cut), "length " + len);
        }
    }

    @Test
    void aFileThatShrinksAfterOpeningFailsWholeNamingTheTensor() throws IOException {
        Path f = tmp.resolve("shrinks.safetensors");
        SafeTensors.save(f, sample());
        try (SafeTensorsReader r = SafeTensors.open(f)) {
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(Files.size(f) - 3);
            }
            FileFormatException e = assertThrows(FileFormatException.class, r::readAll);
            assertTrue(e.getMessage().contains("safetensors: tensor 'scalar': file ended 3 bytes before the end"),
                    e.getMessage());
        }
    }

    @Test
    void missingTensorAndBadNamesAreReported() throws IOException {
        Path f = tmp.resolve("x.safetensors");
        SafeTensors.save(f, Map.of("w", Tensor.zeros(2)));
        try (SafeTensorsReader r = SafeTensors.open(f)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.read("v"));
            assertEquals("safetensors: " + f + " has no tensor 'v'", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(f, Map.of("__metadata__", Tensor.zeros(1))));
        assertEquals("safetensors: invalid tensor name '__metadata__'", e.getMessage());
    }

    private Path craft(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = tmp.resolve("crafted.safetensors");
        Files.write(f, b.array());
        return f;
    }
}
