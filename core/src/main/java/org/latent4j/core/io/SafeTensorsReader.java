package org.latent4j.core.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An open safetensors file whose header has been read and fully validated: every dtype known, every shape
 * non-negative with a byte size that matches its offsets, the tensors packed from offset 0 to the end of the
 * file without gap or overlap. Nothing larger than the file is ever allocated, so a hostile header cannot
 * exhaust memory. Tensors are read on demand, each with bulk copies straight into off-heap memory.
 */
public final class SafeTensorsReader implements AutoCloseable {

    /** One tensor's description in the header; {@code begin} and {@code end} are relative to the data. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public long numel() {
            return Shape.numel(shape);
        }

        public long byteSize() {
            return end - begin;
        }

        @Override
        public String toString() {
            return name + " " + SafeTensors.describe(dtype, shape);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensorsReader(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    static SafeTensorsReader open(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "safetensors file not found");
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw new FileFormatException(file, "safetensors: file has " + size
                        + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > SafeTensors.MAX_HEADER_BYTES) {
                throw new FileFormatException(file, "safetensors: header length " + Long.toUnsignedString(headerLen)
                        + " is outside [2, " + SafeTensors.MAX_HEADER_BYTES + "] (not a safetensors file?)");
            }
            if (headerLen > size - 8) {
                throw new FileFormatException(file, "safetensors: header length " + headerLen + " exceeds the "
                        + (size - 8) + " bytes after the length field (truncated file?)");
            }
            ByteBuffer headBuf = ByteBuffer.allocate((int) headerLen);
            readFully(file, channel, headBuf, 8);
            JsonNode header = parseHeader(file, headBuf.array());
            long dataLen = size - 8 - headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> list = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals(SafeTensors.METADATA_KEY)) {
                    readMetadata(file, f.getValue(), metadata);
                } else {
                    list.add(parseEntry(file, f.getKey(), f.getValue()));
                }
            }
            list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long expected = 0;
            Entry previous = null;
            for (Entry e : list) {
                if (e.begin() != expected) {
                    String what = e.begin() < expected
                            ? "overlaps tensor '" + previous.name() + "' (which ends at " + expected + ")"
                            : "leaves a gap of " + (e.begin() - expected) + " bytes after "
                                    + (previous == null ? "the header" : "tensor '" + previous.name() + "'");
                    throw new FileFormatException(file, "safetensors: tensor '" + e.name() + "': data_offsets ["
                            + e.begin() + ", " + e.end() + "] " + what);
                }
                expected = e.end();
                previous = e;
            }
            if (expected != dataLen) {
                throw new FileFormatException(file, "safetensors: the tensors cover " + expected
                        + " bytes of data but the file holds " + dataLen
                        + (expected > dataLen ? " (truncated file?)" : " (trailing bytes)"));
            }
            Map<String, Entry> byName = new LinkedHashMap<>();
            for (Entry e : list) {
                byName.put(e.name(), e);
            }
            return new SafeTensorsReader(file, channel, 8 + headerLen, Collections.unmodifiableMap(byName),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static JsonNode parseHeader(Path file, byte[] bytes) throws FileFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "safetensors: header is not valid UTF-8");
        }
        if (!text.startsWith("{")) {
            throw new FileFormatException(file, "safetensors: header does not start with '{' (not a safetensors file?)");
        }
        JsonNode node;
        try {
            node = SafeTensors.headerMapper().readTree(text);
        } catch (JacksonException e) {
            throw new FileFormatException(file, "safetensors: header is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new FileFormatException(file, "safetensors: header is not a JSON object");
        }
        return node;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws FileFormatException {
        if (!node.isObject()) {
            throw new FileFormatException(file, "safetensors: __metadata__ must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new FileFormatException(file, "safetensors: __metadata__ '" + f.getKey()
                        + "' is not a string");
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode node) throws FileFormatException {
        String where = "safetensors: tensor '" + name + "': ";
        if (!node.isObject()) {
            throw new FileFormatException(file, where + "entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new FileFormatException(file, where + "missing or non-string dtype");
        }
        DType dtype = SafeTensors.dtypeOf(dtypeNode.textValue());
        if (dtype == null) {
            throw new FileFormatException(file, where + "unsupported dtype '" + dtypeNode.textValue()
                    + "' (supported: F32, F64, F16, BF16, I64, I32, U8, BOOL)");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new FileFormatException(file, where + "missing or non-array shape");
        }
        if (shapeNode.size() > 64) {
            throw new FileFormatException(file, where + "shape has " + shapeNode.size() + " dimensions (at most 64)");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(file, where + "shape[" + i + "]", shapeNode.get(i));
        }
        JsonNode offs = node.get("data_offsets");
        if (offs == null || !offs.isArray() || offs.size() != 2) {
            throw new FileFormatException(file, where + "data_offsets must be an array [begin, end]");
        }
        long begin = nonNegativeLong(file, where + "data_offsets[0]", offs.get(0));
        long end = nonNegativeLong(file, where + "data_offsets[1]", offs.get(1));
        if (end < begin) {
            throw new FileFormatException(file, where + "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long needed;
        try {
            needed = SafeTensors.elementSize(dtype);
            for (long d : shape) {
                needed = Math.multiplyExact(needed, d);
            }
        } catch (ArithmeticException e) {
            throw new FileFormatException(file, where + "shape " + Arrays.toString(shape) + " overflows 64 bits");
        }
        if (needed != end - begin) {
            throw new FileFormatException(file, where + "data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin) + " bytes but " + SafeTensors.describe(dtype, shape) + " needs " + needed);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(Path file, String what, JsonNode n) throws FileFormatException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new FileFormatException(file, what + " must be a non-negative integer, got " + n);
        }
        return n.longValue();
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new FileFormatException(file, "safetensors: file ended early");
            }
        }
    }

    public Path file() {
        return file;
    }

    /** The tensors' descriptions in data order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry named {@code name}, or null. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads one tensor. */
    public Tensor read(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("safetensors: " + file + " has no tensor '" + name + "'");
        }
        return Tensor.wrap(readArray(e));
    }

    /** Reads every tensor, in data order; if any read fails, frees what was read and throws. */
    public Map<String, Tensor> readAll() throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            for (Entry e : entries.values()) {
                out.put(e.name(), Tensor.wrap(readArray(e)));
            }
        } catch (IOException | RuntimeException ex) {
            out.values().forEach(Tensor::close);
            throw ex;
        }
        return out;
    }

    private INDArray readArray(Entry e) throws IOException {
        INDArray a = NativeBytes.allocate(e.dtype(), e.shape());
        try {
            NativeBytes.fill(a, e.byteSize(), channel, dataStart + e.begin());
        } catch (IOException ex) {
            a.close();
            throw new FileFormatException(file, "safetensors: tensor '" + e.name() + "': " + ex.getMessage(), ex);
        }
        return a;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
