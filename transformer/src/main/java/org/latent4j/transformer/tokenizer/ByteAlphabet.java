package org.latent4j.transformer.tokenizer;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable Unicode characters. Byte-level BPE
 * works on bytes, but its vocabulary and merge files are text; bytes that print as themselves
 * ({@code '!'..'~'}, {@code '¡'..'¬'}, {@code '®'..'ÿ'}) keep their code point, and the other 68 (control
 * characters, space, ...) are shifted to {@code U+0100} and up, in byte order. So a space becomes
 * {@code 'Ġ'} and a newline {@code 'Ċ'}, as in GPT-2's {@code vocab.json}.
 */
final class ByteAlphabet {
    /** The characters in GPT-2's order: printable bytes first, then the shifted ones. Its index is a base id. */
    private static final int[] BYTES_IN_ORDER = new int[256];
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        boolean[] printable = new boolean[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                BYTE_TO_CHAR[b] = (char) b;
                BYTES_IN_ORDER[n++] = b;
            }
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTE_TO_CHAR[b] = (char) (256 + shifted++);
                BYTES_IN_ORDER[n++] = b;
            }
        }
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteAlphabet() {
    }

    static char toChar(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte a character of the alphabet stands for, or -1 if it is not one of the 256. */
    static int toByte(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte at position {@code i} of GPT-2's base vocabulary (ids 0..255 of a trained tokenizer). */
    static int byteAt(int i) {
        return BYTES_IN_ORDER[i];
    }

    /** Bytes written as alphabet characters: the form tokens take in {@code vocab.json}. */
    static String encode(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            sb.append(BYTE_TO_CHAR[bytes[i] & 0xFF]);
        }
        return sb.toString();
    }
}
