package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.StageOutput;
import io.github.sparkgpt.pipeline.Utf8;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lazy stream of outputs of one input file, shared by all formats. A subclass parses one record
 * per {@link #advance()} call and hands each candidate text to {@link #emit}, which applies the
 * checks every format shares (empty, too large, binary). Raw reads survive transient storage errors
 * ({@link ReopeningInputStream}). An exception a format cannot recover from ends the file with one
 * rejection: {@code read_unreadable} when nothing could be read, {@code read_rest_of_file_lost}
 * (with the bytes not read) when the damage lies before the end of the file, {@code read_truncated}
 * when the file itself ended early; what was emitted before it is kept. Named counts ({@link
 * #count}) reach the read stage's statistics as one {@link StageOutput#counts} output per file.
 */
abstract class FileRecords implements Iterator<StageOutput>, Closeable {
  /** Failed raw reads that were retried (see {@link ReopeningInputStream}). */
  public static final String COUNT_IO_RETRIES = "read_io_retries";

  /** Raw bytes of files not read because reading could not go on. */
  public static final String COUNT_BYTES_LOST = "read_bytes_lost";

  protected final InputFile file;
  protected final RecordLimits limits;
  private final Configuration conf;
  private final ArrayDeque<StageOutput> pending = new ArrayDeque<>();
  private final TreeMap<String, Long> counts = new TreeMap<>();
  private InputStream stream;

  /**
   * The raw file bytes under {@link #open()}'s stream; null for formats that open the file
   * themselves.
   */
  protected ReopeningInputStream raw;

  private boolean done;
  private long produced;

  FileRecords(InputFile file, RecordLimits limits, Configuration conf) {
    this.file = file;
    this.limits = limits;
    this.conf = conf;
  }

  /**
   * Parse the next record (emitting zero or more outputs); return false when the file has no more
   * records.
   */
  protected abstract boolean advance() throws IOException;

  /** The id of the rejection that records a failure at the current position. */
  protected String failureId() {
    return file.id();
  }

  /** The text read of the record that was being parsed when a failure happened. */
  protected String partialText() {
    return "";
  }

  /**
   * Open the file through Hadoop's FileSystem and its decompressor (not for Parquet, which opens
   * itself).
   */
  protected InputStream open() throws IOException {
    ReopeningInputStream in = openRaw();
    // gzip member by member: a decoder that runs on into the next member within one read call drops
    // what it
    // decoded of the good member when the next one is corrupt.
    stream =
        file.compression() == Compression.GZIP ? new GzipMembers(in) : file.compression().wrap(in);
    return stream;
  }

  /** The file's raw bytes, reopened at the same position after a transient storage error. */
  protected ReopeningInputStream openRaw() throws IOException {
    Path p = new Path(file.path());
    FileSystem fs = p.getFileSystem(conf);
    raw =
        new ReopeningInputStream(
            position -> {
              FSDataInputStream in = fs.open(p, 1 << 16);
              if (position > 0) in.seek(position);
              return in;
            },
            limits.ioRetries(),
            limits.ioRetryWaitMs());
    stream = raw;
    return raw;
  }

  /**
   * Add to a named count of this file (records by type, bytes skipped), summed into the read
   * stage's counters.
   */
  protected void count(String name, long delta) {
    if (delta != 0) counts.merge(name, delta, Long::sum);
  }

  /** Raw bytes of the file after the current read position, or -1 if unknown. */
  protected long unreadBytes() {
    return raw == null || file.length() <= 0 ? -1 : Math.max(0, file.length() - raw.position());
  }

  protected Configuration conf() {
    return conf;
  }

  @Override
  public final boolean hasNext() {
    while (pending.isEmpty() && !done) {
      try {
        if (!advance()) finish();
      } catch (Throwable e) {
        // A parser's StackOverflowError on one crafted file is that file's fault, not the job's.
        if (isJvmInTrouble(e)) throw (VirtualMachineError) e;
        giveUp(e);
        finish();
      }
    }
    return !pending.isEmpty();
  }

  @Override
  public final StageOutput next() {
    if (!hasNext()) throw new NoSuchElementException();
    return pending.poll();
  }

  private void finish() {
    done = true;
    // A file that yields nothing at all (empty, only blank lines) is reported, never skipped
    // silently.
    if (produced == 0) reject(file.id(), ReadReasons.EMPTY, "file has no documents", "");
    if (raw != null) count(COUNT_IO_RETRIES, raw.retried());
    close();
    if (!counts.isEmpty()) pending.add(StageOutput.counts(counts));
  }

  /**
   * Out of memory or an internal JVM error: the task fails (and may succeed elsewhere); a stack
   * overflow does not.
   */
  static boolean isJvmInTrouble(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }

  /** One rejection for an error that ends the file, saying how much of the file was not read. */
  protected void giveUp(Throwable e) {
    long unread = unreadBytes();
    String reason = classify(e, unread);
    String detail = e.toString();
    if (unread > 0) {
      detail +=
          "; about "
              + unread
              + " of "
              + file.length()
              + " bytes from byte "
              + (file.length() - unread)
              + " on not read";
      count(COUNT_BYTES_LOST, unread);
    }
    reject(failureId(), reason, detail, partialText());
  }

  private String classify(Throwable e, long unread) {
    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    boolean endedEarly =
        e instanceof EOFException
            || msg.contains("truncat")
            || msg.contains("unexpected end")
            || msg.contains("premature");
    if (endedEarly && unread <= 0) return ReadReasons.TRUNCATED;
    if (produced == 0) return ReadReasons.UNREADABLE;
    if (unread > 0 || e instanceof ReopeningInputStream.StorageException)
      return ReadReasons.REST_OF_FILE_LOST;
    return endedEarly ? ReadReasons.TRUNCATED : ReadReasons.UNREADABLE;
  }

  /** Queue a document after the shared checks; a failed check queues the rejection instead. */
  protected void emit(String id, String url, String text) {
    String reason = null;
    String detail = null;
    long bytes = Utf8.encodedLength(text);
    if (text.isBlank()) {
      reason = ReadReasons.EMPTY;
    } else if (bytes > limits.maxDocBytes()) {
      reason = ReadReasons.TOO_LARGE;
      detail = bytes + " bytes > max_doc_bytes " + limits.maxDocBytes();
    } else {
      detail = binaryEvidence(text);
      if (detail != null) reason = ReadReasons.BINARY_CONTENT;
    }
    if (reason != null) reject(id, reason, detail, text);
    else {
      produced++;
      pending.add(StageOutput.kept(new Document(id, file.path(), url, text, null, Double.NaN)));
    }
  }

  /**
   * Queue a rejection; its text is cut to {@code rejected_text_max_chars} so garbage cannot bloat
   * the output.
   */
  protected void reject(String id, String reason, String detail, String text) {
    produced++;
    String t = text == null ? "" : text;
    int max = limits.rejectedTextMaxChars();
    if (t.length() > max) t = t.substring(0, max);
    pending.add(
        StageOutput.rejected(
            new RejectedDocument(id, file.path(), ReadReasons.STAGE, reason, detail, t)));
  }

  /**
   * Why {@code text} looks like binary data decoded as UTF-8, or null if it looks like text: more
   * NUL characters than {@code binary_max_nul_chars}, or a share of control characters (other than
   * tab, newline, carriage return, form feed) plus U+FFFD replacement characters above {@code
   * binary_max_control_fraction}.
   */
  protected String binaryEvidence(CharSequence text) {
    int len = text.length();
    if (len == 0) return null;
    long nul = 0;
    long bad = 0;
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      if (c == 0) nul++;
      if (c == '\uFFFD'
          || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f')) bad++;
    }
    if (nul > limits.binaryMaxNulChars()) return nul + " NUL characters";
    double share = (double) bad / len;
    if (share > limits.binaryMaxControlFraction()) {
      return String.format(Locale.ROOT, "%.3f of characters are control or U+FFFD", share);
    }
    return null;
  }

  /** Reject the whole file if its head is binary; true if it was rejected. */
  protected boolean sniffBinary(LineReader reader) throws IOException {
    byte[] head = reader.peek(limits.binarySniffBytes());
    String evidence = binaryEvidence(decode(head, head.length, true));
    if (evidence == null) return false;
    reject(
        file.id(), ReadReasons.BINARY_CONTENT, "first " + head.length + " bytes: " + evidence, "");
    return true;
  }

  @Override
  public void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Closing a read-only stream: nothing left to lose.
      }
      stream = null;
    }
    if (raw != null) raw.close();
  }

  /** Decode UTF-8 with U+FFFD for invalid sequences and drop a leading byte order mark. */
  static String decode(byte[] bytes, int len, boolean first) {
    String s = new String(bytes, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    return first && !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
  }
}
