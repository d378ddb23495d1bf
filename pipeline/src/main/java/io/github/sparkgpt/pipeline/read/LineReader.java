package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code \n} (a trailing {@code \r} is dropped) without ever
 * holding more than {@code maxLineBytes} of one line: a longer line is skipped to its end and
 * reported as oversized. Works on bytes, so the caller decodes each line itself with U+FFFD for
 * invalid UTF-8 and line numbers stay exact.
 */
final class LineReader {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  private byte[] line = new byte[256];
  private int lineLen;
  private long lineFullLength;
  private long lineNumber;

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Before the first line: the first up to {@code n} bytes (fewer at end of input), without
   * consuming them.
   */
  byte[] peek(int n) throws IOException {
    int want = Math.min(n, buf.length);
    while (lim < want) {
      int r = in.read(buf, lim, want - lim);
      if (r < 0) break;
      lim += r;
    }
    return Arrays.copyOfRange(buf, pos, Math.min(lim, pos + want));
  }

  /**
   * Read the next line; false at end of input. If the stream fails midway, the exception propagates
   * and {@link #bytes()}/{@link #length()} hold what was read of the broken line, {@link
   * #lineNumber()} its number.
   */
  boolean next() throws IOException {
    lineLen = 0;
    lineFullLength = 0;
    lineNumber++;
    boolean any = false;
    while (true) {
      if (pos == lim && !fill()) {
        if (!any) {
          lineNumber--;
          return false;
        }
        break;
      }
      any = true;
      int nl = -1;
      for (int i = pos; i < lim; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? lim : nl;
      append(pos, end - pos);
      pos = nl < 0 ? lim : nl + 1;
      if (nl >= 0) break;
    }
    if (!oversized() && lineLen > 0 && line[lineLen - 1] == '\r') {
      lineLen--;
      lineFullLength--;
    }
    return true;
  }

  private boolean fill() throws IOException {
    pos = 0;
    lim = 0;
    int r;
    do {
      r = in.read(buf, 0, buf.length);
    } while (r == 0);
    if (r < 0) return false;
    lim = r;
    return true;
  }

  private void append(int from, int n) {
    lineFullLength += n;
    int keep = (int) Math.min(n, Math.max(0, maxLineBytes - lineLen));
    if (keep == 0) return;
    if (lineLen + keep > line.length) {
      line =
          Arrays.copyOf(
              line,
              (int) Math.min(Math.max(line.length * 2L, lineLen + keep), Integer.MAX_VALUE - 8));
    }
    System.arraycopy(buf, from, line, lineLen, keep);
    lineLen += keep;
  }

  /** The bytes of the current line (only the first {@link #length()} are valid). */
  byte[] bytes() {
    return line;
  }

  /** Number of bytes kept of the current line: at most {@code maxLineBytes}. */
  int length() {
    return lineLen;
  }

  /** True when the line was longer than {@code maxLineBytes} and only its head was kept. */
  boolean oversized() {
    return lineFullLength > maxLineBytes;
  }

  long fullLength() {
    return lineFullLength;
  }

  /** 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }
}
