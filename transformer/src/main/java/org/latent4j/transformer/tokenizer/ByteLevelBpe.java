package org.latent4j.transformer.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding, as in GPT-2 (Radford et al., 2019; BPE from Sennrich et al., 2016). Text is
 * split into words by GPT-2's pattern (contractions, letters, digits, other symbols, whitespace), each word's
 * UTF-8 bytes start as one token each, and learned merges are applied lowest rank first until none applies.
 * Because the base vocabulary is all 256 bytes, any text encodes and {@code decode(encode(s))} gives it back.
 *
 * <p>The vocabulary and merges are kept in GPT-2's files: {@code vocab.json} (token → id, tokens written with
 * {@link ByteAlphabet}'s printable characters) and {@code merges.txt} (a version line, then one merge
 * {@code "left right"} per line, in rank order). Tokens of the vocabulary that are neither a byte nor the result
 * of a merge (such as {@code <|endoftext|>}) are special tokens: {@link #encode} never produces them from text;
 * {@link #encodeWithSpecialTokens} does.
 */
public final class ByteLevelBpe {
    /** GPT-2's pre-tokenizer: contractions, optional space + letters, digits or symbols, then whitespace runs. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final String MERGES_HEADER = "#version: 0.2";
    private static final int CACHE_LIMIT = 50_000;

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final byte[][] tokenBytes;
    private final int[] byteToId = new int[256];
    /** (left, right) → {rank, merged id}. */
    private final Map<Long, int[]> merges;
    private final List<int[]> mergeList;
    private final Map<String, Integer> specialTokens = new LinkedHashMap<>();
    private final Pattern specialPattern;
    private final Map<String, int[]> cache = new HashMap<>();

    private ByteLevelBpe(List<String> tokens, List<int[]> mergeList) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        this.tokenBytes = new byte[tokens.size()][];
        boolean[] fromText = new boolean[tokens.size()];
        for (int[] m : mergeList) {
            fromText[m[2]] = true;
        }
        for (int id = 0; id < tokens.size(); id++) {
            String t = tokens.get(id);
            if (ids.put(t, id) != null) {
                throw new IllegalArgumentException("ByteLevelBpe: token '" + t + "' appears twice in the vocabulary");
            }
            byte[] bytes = bytesOf(t);
            fromText[id] |= bytes != null && bytes.length == 1;
            tokenBytes[id] = bytes != null ? bytes : t.getBytes(StandardCharsets.UTF_8);
            // A token that is neither a byte nor made by a merge can only come from encodeWithSpecialTokens.
            if (!fromText[id]) {
                specialTokens.put(t, id);
            }
        }
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.valueOf(ByteAlphabet.toChar(b)));
            if (id == null) {
                throw new IllegalArgumentException("ByteLevelBpe: the vocabulary lacks byte " + b + " (token '"
                        + ByteAlphabet.toChar(b) + "'), so some text could not be encoded");
            }
            byteToId[b] = id;
        }
        this.mergeList = List.copyOf(mergeList);
        this.merges = new HashMap<>();
        for (int rank = 0; rank < mergeList.size(); rank++) {
            int[] m = mergeList.get(rank);
            merges.putIfAbsent(pairKey(m[0], m[1]), new int[] {rank, m[2]});
        }
        this.specialPattern = specialTokens.isEmpty() ? null : Pattern.compile(String.join("|",
                specialTokens.keySet().stream().sorted((a, b) -> b.length() - a.length()).map(Pattern::quote).toList()));
    }

    /** The bytes a token in alphabet form stands for, or null if it is not made of alphabet characters. */
    private static byte[] bytesOf(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = ByteAlphabet.toByte(token.charAt(i));
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return token.isEmpty() ? null : out;
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    // ---- training ---------------------------------------------------------------------------------------

    /**
     * Learns merges on {@code corpus} until the vocabulary holds {@code vocabSize} tokens (256 bytes, the merges,
     * then {@code specialTokens}) or no pair of tokens occurs any more. Each step merges the most frequent
     * adjacent pair within words; ties go to the pair with the smaller ids, so training is deterministic.
     */
    public static ByteLevelBpe train(String corpus, int vocabSize, String... specialTokens) {
        int minimum = 256 + specialTokens.length;
        if (vocabSize < minimum) {
            throw new IllegalArgumentException("ByteLevelBpe.train: vocabSize " + vocabSize + " is below the "
                    + minimum + " tokens of the byte alphabet and special tokens");
        }
        List<String> tokens = new ArrayList<>();
        int[] byteToId = new int[256];
        for (int i = 0; i < 256; i++) {
            int b = ByteAlphabet.byteAt(i);
            byteToId[b] = i;
            tokens.add(String.valueOf(ByteAlphabet.toChar(b)));
        }
        Map<String, Integer> wordCounts = new HashMap<>();
        forEachWord(corpus, w -> wordCounts.merge(w, 1, Integer::sum));
        int[][] words = new int[wordCounts.size()][];
        long[] freq = new long[words.length];
        int n = 0;
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            words[n] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[n][i] = byteToId[bytes[i] & 0xFF];
            }
            freq[n++] = e.getValue();
        }
        PairCounts counts = new PairCounts();
        for (int w = 0; w < words.length; w++) {
            counts.addWord(words[w], w, freq[w]);
        }
        List<int[]> mergeList = new ArrayList<>();
        while (tokens.size() < vocabSize - specialTokens.length) {
            long best = counts.popBest();
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            int merged = tokens.size();
            tokens.add(tokens.get(left) + tokens.get(right));
            mergeList.add(new int[] {left, right, merged});
            for (int w : counts.wordsWith(best)) {
                int[] word = words[w];
                if (!containsPair(word, left, right)) {
                    continue;
                }
                counts.addWord(word, w, -freq[w]);
                words[w] = mergePair(word, left, right, merged);
                counts.addWord(words[w], w, freq[w]);
            }
        }
        for (String s : specialTokens) {
            if (tokens.contains(s)) {
                throw new IllegalArgumentException("ByteLevelBpe.train: special token '" + s + "' is already a token");
            }
            tokens.add(s);
        }
        return new ByteLevelBpe(tokens, mergeList);
    }

    private static boolean containsPair(int[] word, int left, int right) {
        for (int i = 0; i + 1 < word.length; i++) {
            if (word[i] == left && word[i + 1] == right) {
                return true;
            }
        }
        return false;
    }

    /** Replaces each non-overlapping (left, right), scanning left to right, by {@code merged}. */
    private static int[] mergePair(int[] word, int left, int right, int merged) {
        int[] out = new int[word.length];
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = word[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Weighted counts of adjacent pairs, the words they occur in, and a lazily updated max-heap. */
    private static final class PairCounts {
        private final Map<Long, long[]> count = new HashMap<>();
        private final Map<Long, List<Integer>> where = new HashMap<>();
        // Entries {count, key}; stale ones (count changed since) are skipped when popped.
        private final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) ->
                a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        private final Map<Long, Boolean> touched = new HashMap<>();

        void addWord(int[] word, int w, long weight) {
            for (int i = 0; i + 1 < word.length; i++) {
                long key = pairKey(word[i], word[i + 1]);
                count.computeIfAbsent(key, k -> new long[1])[0] += weight;
                if (weight > 0) {
                    List<Integer> list = where.computeIfAbsent(key, k -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != w) {
                        list.add(w);
                    }
                }
                touched.put(key, Boolean.TRUE);
            }
        }

        /** The most frequent pair with a positive count, removed from further consideration; -1 if none. */
        long popBest() {
            for (Long key : touched.keySet()) {
                long c = count.get(key)[0];
                if (c > 0) {
                    heap.add(new long[] {c, key});
                }
            }
            touched.clear();
            while (!heap.isEmpty()) {
                long[] top = heap.poll();
                long[] current = count.get(top[1]);
                if (current != null && current[0] == top[0] && top[0] > 0) {
                    count.remove(top[1]);
                    return top[1];
                }
            }
            return -1;
        }

        List<Integer> wordsWith(long key) {
            List<Integer> list = where.remove(key);
            return list == null ? List.of() : list;
        }
    }

    // ---- encoding and decoding -----------------------------------------------------------------------------

    /** Token ids of {@code text}; special-token text is encoded as ordinary bytes. */
    public int[] encode(String text) {
        IntBuffer out = new IntBuffer();
        forEachWord(text, w -> out.addAll(encodeWord(w)));
        return out.toArray();
    }

    /** Like {@link #encode}, but occurrences of the vocabulary's special tokens become their ids. */
    public int[] encodeWithSpecialTokens(String text) {
        if (specialPattern == null) {
            return encode(text);
        }
        IntBuffer out = new IntBuffer();
        Matcher m = specialPattern.matcher(text);
        int last = 0;
        while (m.find()) {
            out.addAll(encode(text.substring(last, m.start())));
            out.add(specialTokens.get(m.group()));
            last = m.end();
        }
        out.addAll(encode(text.substring(last)));
        return out.toArray();
    }

    /** The text of {@code ids}; byte sequences that are not valid UTF-8 (a cut-off character) become U+FFFD. */
    public String decode(int... ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The exact bytes of {@code ids}. */
    public byte[] decodeBytes(int... ids) {
        int length = 0;
        for (int id : ids) {
            if (id < 0 || id >= tokenBytes.length) {
                throw new IllegalArgumentException("decode: token id " + id + " is outside the vocabulary of "
                        + tokenBytes.length + " tokens");
            }
            length += tokenBytes[id].length;
        }
        byte[] out = new byte[length];
        int n = 0;
        for (int id : ids) {
            System.arraycopy(tokenBytes[id], 0, out, n, tokenBytes[id].length);
            n += tokenBytes[id].length;
        }
        return out;
    }

    private int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = byteToId[bytes[i] & 0xFF];
        }
        while (symbols.length > 1) {
            int bestRank = Integer.MAX_VALUE;
            int[] best = null;
            for (int i = 0; i + 1 < symbols.length; i++) {
                int[] m = merges.get(pairKey(symbols[i], symbols[i + 1]));
                if (m != null && m[0] < bestRank) {
                    bestRank = m[0];
                    best = new int[] {symbols[i], symbols[i + 1], m[1]};
                }
            }
            if (best == null) {
                break;
            }
            symbols = mergePair(symbols, best[0], best[1], best[2]);
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(word, symbols);
        return symbols;
    }

    /** Calls {@code sink} with each pre-token of {@code text}, in order; together they cover all of it. */
    private static void forEachWord(String text, java.util.function.Consumer<String> sink) {
        Matcher m = WORDS.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                sink.accept(text.substring(last, m.start()));
            }
            if (m.end() > m.start()) {
                sink.accept(m.group());
            }
            last = m.end();
        }
        if (last < text.length()) {
            sink.accept(text.substring(last));
        }
    }

    // ---- vocabulary ------------------------------------------------------------------------------------------

    public int vocabSize() {
        return tokens.size();
    }

    public int numMerges() {
        return mergeList.size();
    }

    /** The token with this id, in vocab.json's form (bytes as alphabet characters). */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token: id " + id + " is outside the vocabulary of " + tokens.size()
                    + " tokens");
        }
        return tokens.get(id);
    }

    /** The id of a token in vocab.json's form, such as {@code "<|endoftext|>"} or {@code "Ġthe"}. */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("id: '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    /** Special tokens (neither a byte nor made by a merge) and their ids. */
    public Map<String, Integer> specialTokens() {
        return Map.copyOf(specialTokens);
    }

    // ---- GPT-2's files ---------------------------------------------------------------------------------------

    /** Writes {@code vocab.json} and {@code merges.txt} into {@code dir}, which is created if needed. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Integer> vocab = new LinkedHashMap<>();
            for (int id = 0; id < tokens.size(); id++) {
                vocab.put(tokens.get(id), id);
            }
            Files.writeString(dir.resolve("vocab.json"), new ObjectMapper().writeValueAsString(vocab));
            StringBuilder sb = new StringBuilder(MERGES_HEADER).append('\n');
            for (int[] m : mergeList) {
                sb.append(tokens.get(m[0])).append(' ').append(tokens.get(m[1])).append('\n');
            }
            Files.writeString(dir.resolve("merges.txt"), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("ByteLevelBpe.save: cannot write to " + dir, e);
        }
    }

    /** Reads {@code vocab.json} and {@code merges.txt} from {@code dir} (GPT-2's tokenizer files). */
    public static ByteLevelBpe load(Path dir) {
        return load(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
    }

    public static ByteLevelBpe load(Path vocabJson, Path mergesTxt) {
        Map<String, Integer> vocab;
        List<String> lines;
        try {
            vocab = new ObjectMapper().readValue(vocabJson.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() {
            });
            lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("ByteLevelBpe.load: cannot read " + vocabJson + " / " + mergesTxt, e);
        }
        String[] byId = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= byId.length || byId[id] != null) {
                throw new IllegalArgumentException("ByteLevelBpe.load: " + vocabJson + ": ids must be 0.."
                        + (byId.length - 1) + " each used once; '" + e.getKey() + "' has id " + id);
            }
            byId[id] = e.getKey();
        }
        List<int[]> mergeList = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("ByteLevelBpe.load: " + mergesTxt + " line " + (i + 1)
                        + ": expected 'left right', got '" + line + "'");
            }
            Integer left = vocab.get(parts[0]);
            Integer right = vocab.get(parts[1]);
            Integer merged = vocab.get(parts[0] + parts[1]);
            if (left == null || right == null || merged == null) {
                throw new IllegalArgumentException("ByteLevelBpe.load: " + mergesTxt + " line " + (i + 1) + ": '"
                        + (left == null ? parts[0] : right == null ? parts[1] : parts[0] + parts[1])
                        + "' is not in the vocabulary");
            }
            mergeList.add(new int[] {left, right, merged});
        }
        return new ByteLevelBpe(Arrays.asList(byId), mergeList);
    }

    /** A growable int array. */
    private static final class IntBuffer {
        private int[] data = new int[64];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
