package org.latent4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The safetensors format of Hugging Face, which PyTorch state dicts are commonly saved in: an 8-byte
 * little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON mapping each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (plus an optional
 * {@code "__metadata__"} map of strings), then the raw little-endian row-major data, offsets counted from
 * the end of the header, the tensors packed back to back without gaps or overlap.
 *
 * <pre>{@code
 * SafeTensors.save(path, model.stateDict());
 * Map<String, Tensor> weights = SafeTensors.load(path);
 * try (SafeTensorsReader r = SafeTensors.open(path)) {   // header only; tensors read on demand
 *     r.entries().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Names keep the order of the map given to {@link #save}, which is also the order of the data in the
 * file (the format does not prescribe one; readers order by data offset).
 */
public final class SafeTensors {
    /** Headers longer than this are refused before anything is allocated. */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {
    }

    /** Opens {@code file}, reads and validates its header; tensors are read on demand. */
    public static SafeTensorsReader open(Path file) throws IOException {
        return SafeTensorsReader.open(file);
    }

    /** Every tensor of {@code file}, in data order; all or nothing. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        try (SafeTensorsReader reader = open(file)) {
            return reader.readAll();
        }
    }

    /** Writes {@code tensors} without metadata; see {@link #save(Path, Map, Map)}. */
    public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, through a temporary file in the same
     * directory that then replaces {@code file} in one rename, so readers never see half a file.
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            write(tmp, tensors, metadata);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes directly to {@code file} and forces it to disk (used inside an already temporary directory). */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("safetensors: metadata keys and values must not be null");
                }
                meta.put(k, v);
            });
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
            }
            INDArray v = e.getValue().value();
            DType dtype = DType.of(v.dataType());
            long bytes = v.length() * elementSize(dtype);
            ObjectNode info = header.putObject(name);
            info.put("dtype", code(dtype));
            ArrayNode shape = info.putArray("shape");
            for (long d : v.shape()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] text = json.writeValueAsBytes(header);
        int padded = (text.length + 7) & ~7;   // the reference writer aligns the data to 8 bytes with spaces
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(text);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (head.hasRemaining()) {
                out.write(head);
            }
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                INDArray v = e.getValue().value();
                INDArray packed = NativeBytes.packed(v);
                try {
                    NativeBytes.drain(packed, v.length() * elementSize(DType.of(v.dataType())), out);
                } finally {
                    if (packed != v) {
                        packed.close();
                    }
                }
            }
            out.force(true);
        }
    }

    /** The format's name for {@code dtype}: F32, F64, F16, BF16, I64, I32, U8 or BOOL. */
    public static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    /** The dtype for a format name, or null when we do not support it. */
    static DType dtypeOf(String code) {
        for (DType d : DType.values()) {
            if (code(d).equals(code)) {
                return d;
            }
        }
        return null;
    }

    static long elementSize(DType dtype) {
        return dtype.nd4j().width();
    }

    static ObjectMapper headerMapper() {
        ObjectMapper m = new ObjectMapper();
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return m;
    }

    static String describe(DType dtype, long[] shape) {
        return code(dtype) + " " + Shape.format(shape);
    }

}
