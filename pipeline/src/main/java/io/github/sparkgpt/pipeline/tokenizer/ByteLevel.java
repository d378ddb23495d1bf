package io.github.sparkgpt.pipeline.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character table, as used by Hugging Face's ByteLevel
 * pre-tokenizer/decoder. Printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves;
 * the other 68 bytes (controls, space, soft hyphen...) map to U+0100, U+0101, ... in byte order. So
 * every token string in vocab.json/merges.txt is printable and free of spaces, which is what lets
 * merges.txt use a space as separator.
 */
public final class ByteLevel {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) next++;
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The printable character standing for byte {@code b} (0..255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The byte a byte-level character stands for, or -1 if {@code c} is not one of the 256. */
  public static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** Byte-level string of raw bytes, e.g. " the" -> "Ġthe". */
  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    return new String(out);
  }

  /** Raw bytes of a byte-level string; null if it contains a character outside the table. */
  public static byte[] decode(String s) {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < s.length(); i++) {
      int b = byteOf(s.charAt(i));
      if (b < 0) return null;
      out[i] = (byte) b;
    }
    return out;
  }

  /** Byte-level string of the UTF-8 encoding of {@code text}. */
  public static String encodeText(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }
}
