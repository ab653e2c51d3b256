package org.latent4j.core.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.latent4j.core.io.FileFormatException;
import org.latent4j.core.tensor.Tensor;

/**
 * A character-level tokenizer: the vocabulary is the set of Unicode code points of a corpus, sorted, and a
 * character's id is its index there (as in nanoGPT's shakespeare_char). Saved as JSON
 * {@code {"type": "char", "vocab": ["\n", " ", "!", ...]}}.
 */
public final class CharTokenizer {
    private final int[] codePoints;
    private final Map<Integer, Integer> ids;

    private CharTokenizer(int[] codePoints) {
        this.codePoints = codePoints;
        this.ids = new HashMap<>();
        for (int i = 0; i < codePoints.length; i++) {
            if (ids.put(codePoints[i], i) != null) {
                throw new IllegalArgumentException("CharTokenizer: character "
                        + describe(codePoints[i]) + " appears twice in the vocabulary");
            }
        }
    }

    /** The vocabulary of every distinct character in {@code text}, sorted by code point. */
    public static CharTokenizer fromText(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        if (set.isEmpty()) {
            throw new IllegalArgumentException("CharTokenizer: the text is empty");
        }
        return new CharTokenizer(set.stream().mapToInt(Integer::intValue).toArray());
    }

    public int vocabSize() {
        return codePoints.length;
    }

    /** Token ids of {@code text}; a character outside the vocabulary is an error naming it and its position. */
    public long[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        long[] out = new long[cps.length];
        for (int i = 0; i < cps.length; i++) {
            Integer id = ids.get(cps[i]);
            if (id == null) {
                throw new IllegalArgumentException("CharTokenizer: character " + describe(cps[i]) + " at position "
                        + i + " is not in the vocabulary of " + codePoints.length + " characters");
            }
            out[i] = id;
        }
        return out;
    }

    /** Token ids of {@code text} as an int64 tensor {@code (T)}. */
    public Tensor encodeTensor(String text) {
        long[] ids = encode(text);
        return Tensor.ofLongs(ids, ids.length);
    }

    /** The text of token ids; an id outside {@code [0, vocabSize())} is an error. */
    public String decode(long[] tokens) {
        StringBuilder sb = new StringBuilder(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= codePoints.length) {
                throw new IllegalArgumentException("CharTokenizer: token " + tokens[i] + " at position " + i
                        + " is outside the vocabulary [0, " + codePoints.length + ")");
            }
            sb.appendCodePoint(codePoints[(int) tokens[i]]);
        }
        return sb.toString();
    }

    /** The text of an int64 tensor of token ids (any shape, read in row-major order). */
    public String decode(Tensor tokens) {
        return decode(tokens.toLongArray());
    }

    /** The vocabulary, one string per id. */
    public List<String> vocabulary() {
        return java.util.Arrays.stream(codePoints).mapToObj(Character::toString).toList();
    }

    public void save(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("type", "char");
        ArrayNode vocab = root.putArray("vocab");
        vocabulary().forEach(vocab::add);
        Files.write(file, json.writeValueAsBytes(root));
    }

    public static CharTokenizer load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new FileFormatException(file, "tokenizer: not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !"char".equals(root.path("type").textValue()) || !root.path("vocab").isArray()
                || root.get("vocab").isEmpty()) {
            throw new FileFormatException(file, "tokenizer: expected {\"type\": \"char\", \"vocab\": [...]}");
        }
        int[] cps = new int[root.get("vocab").size()];
        for (int i = 0; i < cps.length; i++) {
            String s = root.get("vocab").get(i).textValue();
            if (s == null || s.codePointCount(0, s.length()) != 1) {
                throw new FileFormatException(file, "tokenizer: vocab[" + i + "] is not a single character: "
                        + root.get("vocab").get(i));
            }
            cps[i] = s.codePointAt(0);
        }
        try {
            return new CharTokenizer(cps);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, e.getMessage());
        }
    }

    private static String describe(int cp) {
        return (Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + Character.toString(cp) + "' ")
                + String.format("(U+%04X)", cp);
    }
}
