package dev.midge.config;

import java.util.Locale;

/** A size setting such as {@code 256M}: a whole number of bytes, or of K, M or G (powers of 1024), B optional. */
public final class ByteSize {

    private static final int MAX_DIGITS = 12;

    private ByteSize() {
    }

    /** The bytes the text says, or -1 when it is not a size. */
    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = s.isEmpty() ? 0 : switch (s.charAt(s.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        if (shift > 0) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > MAX_DIGITS || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(s) << shift;
    }
}
