package org.latent4j.diffusion;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.latent4j.core.tensor.Tensor;

/**
 * A word-level tokenizer for short captions ("a red circle"): lower-cased words split on white space, ids
 * 1…V−1 in sorted order of a fixed vocabulary, 0 ({@link Condition#PAD_TOKEN}) padding every caption to
 * {@code maxWords}. Small vocabularies of known words are what the built-in captioned data has; an unknown
 * word is an error naming it.
 */
public final class CaptionTokenizer {
    private final List<String> words;
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final int maxWords;

    public CaptionTokenizer(Collection<String> vocabulary, int maxWords) {
        if (maxWords < 1) {
            throw new IllegalArgumentException("CaptionTokenizer: maxWords must be positive, got " + maxWords);
        }
        this.words = new ArrayList<>(new TreeSet<>(vocabulary));
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i + 1);
        }
        this.maxWords = maxWords;
    }

    /** The vocabulary of every word in {@code captions}, long enough for the longest. */
    public static CaptionTokenizer fromCaptions(Collection<String> captions) {
        TreeSet<String> vocab = new TreeSet<>();
        int longest = 1;
        for (String c : captions) {
            String[] w = split(c);
            longest = Math.max(longest, w.length);
            vocab.addAll(List.of(w));
        }
        return new CaptionTokenizer(vocab, longest);
    }

    private static String[] split(String caption) {
        String s = caption.trim().toLowerCase(Locale.ROOT);
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    /** Padding included. */
    public int vocabSize() {
        return words.size() + 1;
    }

    public int maxWords() {
        return maxWords;
    }

    public List<String> words() {
        return List.copyOf(words);
    }

    /** int64 (B, maxWords) token ids of the captions, padded with 0. */
    public Tensor encode(List<String> captions) {
        long[] out = new long[captions.size() * maxWords];
        for (int b = 0; b < captions.size(); b++) {
            String[] w = split(captions.get(b));
            if (w.length > maxWords) {
                throw new IllegalArgumentException("CaptionTokenizer: caption '" + captions.get(b) + "' has "
                        + w.length + " words, more than " + maxWords);
            }
            for (int i = 0; i < w.length; i++) {
                Integer id = ids.get(w[i]);
                if (id == null) {
                    throw new IllegalArgumentException("CaptionTokenizer: unknown word '" + w[i] + "' in '"
                            + captions.get(b) + "' (vocabulary: " + words + ")");
                }
                out[b * maxWords + i] = id;
            }
        }
        return Tensor.ofLongs(out, captions.size(), maxWords);
    }
}
