package org.latent4j.core.data;

import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Multi-digit addition as a character sequence task, for small transformers: {@code "123+456=0579"}. Every
 * string has the same layout: two operands of exactly {@code digits} digits (zero-padded), then the sum of
 * exactly {@code digits + 1} digits (zero-padded), so a sequence has {@code 3·digits + 3} characters and the
 * answer starts at {@link #answerStart()}. The vocabulary is {@code "+0123456789="} (ids in that order).
 */
public record AdditionTask(int digits) {
    public static final String VOCABULARY = "+0123456789=";

    public AdditionTask {
        if (digits < 1 || digits > 9) {
            throw new IllegalArgumentException("AdditionTask: digits must be in [1, 9], got " + digits);
        }
    }

    /** Characters per sequence: {@code digits + 1 + digits + 1 + (digits + 1)}. */
    public int length() {
        return 3 * digits + 3;
    }

    /** Index of the first answer character (just after '='). */
    public int answerStart() {
        return 2 * digits + 2;
    }

    /** The largest operand, {@code 10^digits - 1}. */
    public long maxOperand() {
        return (long) Math.pow(10, digits) - 1;
    }

    /** {@code format(123, 456)} is {@code "123+456=0579"} for 3 digits. */
    public String format(long a, long b) {
        if (a < 0 || b < 0 || a > maxOperand() || b > maxOperand()) {
            throw new IllegalArgumentException("AdditionTask: operands must be in [0, " + maxOperand() + "], got "
                    + a + " and " + b);
        }
        return pad(a, digits) + "+" + pad(b, digits) + "=" + pad(a + b, digits + 1);
    }

    /** A random problem with both operands uniform in [0, 10^digits). */
    public String sample(Rng rng) {
        return format(rng.nextLong(maxOperand() + 1), rng.nextLong(maxOperand() + 1));
    }

    /** Whether {@code s} is a well-formed sequence of this task with the correct sum. */
    public boolean isCorrect(String s) {
        if (s.length() != length() || s.charAt(digits) != '+' || s.charAt(2 * digits + 1) != '=') {
            return false;
        }
        try {
            long a = Long.parseLong(s.substring(0, digits));
            long b = Long.parseLong(s.substring(digits + 1, 2 * digits + 1));
            return s.equals(format(a, b));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The tokenizer over {@link #VOCABULARY}. */
    public CharTokenizer tokenizer() {
        return CharTokenizer.fromText(VOCABULARY);
    }

    /** {@code n} random problems as token ids {@code (n, length())} int64. */
    public Tensor sampleTokens(Rng rng, int n) {
        CharTokenizer tok = tokenizer();
        long[] ids = new long[n * length()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(tok.encode(sample(rng)), 0, ids, i * length(), length());
        }
        return Tensor.ofLongs(ids, n, length());
    }

    private static String pad(long v, int width) {
        String s = Long.toString(v);
        return "0".repeat(width - s.length()) + s;
    }
}
