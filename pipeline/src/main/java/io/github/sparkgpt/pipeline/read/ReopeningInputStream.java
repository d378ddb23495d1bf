package io.github.sparkgpt.pipeline.read;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.Seekable;
import org.apache.hadoop.security.AccessControlException;

/**
 * The raw bytes of one input file, surviving transient storage errors: a read that fails with an
 * I/O error other than corrupt or missing data (a reset connection, a timed-out datanode or object
 * store request) closes the stream, waits, reopens the file at the current position and tries
 * again, up to {@code retries} times per failure with doubling waits. What still fails is thrown as
 * a {@link StorageException}, so callers can tell a storage failure from corrupt data. It also
 * tracks the position (bytes consumed), which tells how much of a file was not read when reading
 * ends early, and seeks, which lets a reader resynchronise after damage.
 */
final class ReopeningInputStream extends InputStream {
  /** Opens the file with its first {@code position} bytes skipped. */
  interface Opener {
    InputStream open(long position) throws IOException;
  }

  /** A storage error that persisted through every retry; its cause is the last error. */
  static final class StorageException extends IOException {
    StorageException(String message, IOException cause) {
      super(message, cause);
    }
  }

  private final Opener opener;
  private final int retries;
  private final long waitMs;
  private InputStream in;
  private long position;
  private long retried;

  ReopeningInputStream(Opener opener, int retries, long waitMs) throws IOException {
    this.opener = opener;
    this.retries = retries;
    this.waitMs = waitMs;
    this.in = withRetries(() -> opener.open(0));
  }

  private interface Attempt<T> {
    T run() throws IOException;
  }

  private <T> T withRetries(Attempt<T> attempt) throws IOException {
    for (int n = 0; ; n++) {
      try {
        return attempt.run();
      } catch (IOException e) {
        if (!isTransient(e)) throw e;
        if (n >= retries) {
          throw new StorageException(
              "read failed at byte " + position + " after " + retries + " retries: " + e, e);
        }
        retried++;
        closeQuietly();
        in = null; // the next attempt reopens at the current position
        sleep(waitMs << Math.min(n, 10));
      }
    }
  }

  /**
   * Corrupt, missing or forbidden data will not heal by reading again, a truncated file ends at the
   * same byte, and an interrupted task (killed, speculative copy) must stop rather than wait for a
   * retry.
   */
  static boolean isTransient(IOException e) {
    if (Thread.currentThread().isInterrupted()) return false;
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) return false;
    return !(e instanceof EOFException
        || e instanceof FileNotFoundException
        || e instanceof ChecksumException
        || e instanceof AccessDeniedException
        || e instanceof AccessControlException
        || e instanceof StorageException);
  }

  private static void sleep(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry a read");
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    int n =
        withRetries(
            () -> {
              if (in == null) in = opener.open(position);
              return in.read(b, off, len);
            });
    if (n > 0) position += n;
    return n;
  }

  /** Continue reading at byte {@code target} of the file (forward or backward). */
  void seek(long target) throws IOException {
    if (target == position) return;
    withRetries(
        () -> {
          if (in instanceof Seekable s) {
            s.seek(target);
          } else {
            closeQuietly();
            in = null;
            in = opener.open(target);
          }
          return null;
        });
    position = target;
  }

  /** Bytes consumed so far (including bytes a decompressor has buffered but not yet decoded). */
  long position() {
    return position;
  }

  /** Failed reads that were retried successfully or not. */
  long retried() {
    return retried;
  }

  private void closeQuietly() {
    if (in == null) return;
    try {
      in.close();
    } catch (IOException ignored) {
      // The stream failed already; its replacement is what matters.
    }
  }

  @Override
  public void close() {
    closeQuietly();
    in = null;
  }
}
