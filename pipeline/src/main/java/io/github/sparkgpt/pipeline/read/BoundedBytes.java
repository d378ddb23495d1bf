package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream into memory up to a limit: one document or record, never a whole multi-GB file.
 * Bytes are appended as they arrive, so after an exception {@link #data}/{@link #length} still hold
 * what was read.
 */
final class BoundedBytes {
  private byte[] data = new byte[8192];
  private int length;
  private boolean exceeded;

  /**
   * Read {@code in} to its end or until more than {@code max} bytes were seen (then {@link
   * #exceeded()}).
   */
  BoundedBytes readFrom(InputStream in, int max) throws IOException {
    length = 0;
    exceeded = false;
    while (true) {
      if (length == data.length) {
        if (data.length > max) break; // holds max + 1 bytes: enough to know the limit was passed
        data = Arrays.copyOf(data, (int) Math.min(data.length * 2L, (long) max + 1));
      }
      int r = in.read(data, length, data.length - length);
      if (r < 0) break;
      length += r;
    }
    if (length > max) {
      exceeded = true;
      length = max;
    }
    return this;
  }

  byte[] data() {
    return data;
  }

  int length() {
    return length;
  }

  boolean exceeded() {
    return exceeded;
  }
}
