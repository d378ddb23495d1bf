package io.github.sparkgpt.pipeline.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReopeningInputStreamTest {
  private static final byte[] DATA = new byte[300_000];

  static {
    new Random(1).nextBytes(DATA);
  }

  /**
   * Opens DATA at a position; each stream fails once it reaches the next offset in {@code failAt}.
   */
  static final class Flaky implements ReopeningInputStream.Opener {
    final List<Long> failAt;
    final IOException error;
    final List<Long> opens = new ArrayList<>();

    Flaky(List<Long> failAt, IOException error) {
      this.failAt = new ArrayList<>(failAt);
      this.error = error;
    }

    @Override
    public InputStream open(long position) {
      opens.add(position);
      return new InputStream() {
        long pos = position;

        @Override
        public int read() throws IOException {
          byte[] b = new byte[1];
          return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (!failAt.isEmpty() && pos >= failAt.get(0)) {
            failAt.remove(0);
            throw error;
          }
          if (pos >= DATA.length) return -1;
          int n = (int) Math.min(Math.min(len, 4096), DATA.length - pos);
          if (!failAt.isEmpty()) n = (int) Math.max(1, Math.min(n, failAt.get(0) - pos));
          System.arraycopy(DATA, (int) pos, b, off, n);
          pos += n;
          return n;
        }
      };
    }
  }

  @Test
  void transientErrorsReopenAtThePositionAndLoseNothing() throws IOException {
    Flaky flaky =
        new Flaky(List.of(10_000L, 10_000L, 123_457L), new SocketException("Connection reset"));
    try (ReopeningInputStream in = new ReopeningInputStream(flaky, 3, 0)) {
      assertArrayEquals(DATA, in.readAllBytes());
      assertEquals(3, in.retried());
      assertEquals(DATA.length, in.position());
    }
    assertEquals(List.of(0L, 10_000L, 10_000L, 123_457L), flaky.opens);
  }

  @Test
  void persistentErrorsFailAfterTheRetriesAndCorruptDataIsNeverRetried() throws IOException {
    Flaky always = new Flaky(List.of(5L, 5L, 5L, 5L, 5L), new SocketException("Connection reset"));
    try (ReopeningInputStream in = new ReopeningInputStream(always, 2, 0)) {
      ReopeningInputStream.StorageException e =
          assertThrows(ReopeningInputStream.StorageException.class, in::readAllBytes);
      assertTrue(e.getMessage().contains("at byte 5 after 2 retries"), e.getMessage());
      assertEquals(2, in.retried());
    }
    Flaky eof = new Flaky(List.of(7L), new EOFException("unexpected end"));
    try (ReopeningInputStream in = new ReopeningInputStream(eof, 3, 0)) {
      assertThrows(EOFException.class, in::readAllBytes);
      assertEquals(0, in.retried());
    }
  }

  @Test
  void anInterruptedTaskStopsInsteadOfRetrying() throws IOException {
    Flaky flaky = new Flaky(List.of(5L), new java.io.InterruptedIOException("interrupted"));
    try (ReopeningInputStream in = new ReopeningInputStream(flaky, 3, 0)) {
      assertThrows(java.io.InterruptedIOException.class, in::readAllBytes);
      assertEquals(0, in.retried());
    }
    Flaky timeout = new Flaky(List.of(5L), new java.net.SocketTimeoutException("read timed out"));
    try (ReopeningInputStream in = new ReopeningInputStream(timeout, 3, 0)) {
      assertArrayEquals(DATA, in.readAllBytes());
      assertEquals(1, in.retried(), "a timeout is transient");
    }
  }

  @Test
  void seekMovesForwardAndBack() throws IOException {
    try (ReopeningInputStream in =
        new ReopeningInputStream(new Flaky(List.of(), new IOException()), 0, 0)) {
      in.seek(200_000);
      assertEquals(DATA[200_000], (byte) in.read());
      in.seek(3);
      assertEquals(DATA[3], (byte) in.read());
      assertEquals(4, in.position());
    }
  }
}
