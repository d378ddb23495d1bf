package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.StageCounters;
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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The lazy stream of outputs of one input file, shared by all formats. A subclass parses one record per
 * {@link #advance()} call and hands each candidate text to {@link #emit}, which applies the checks every format
 * shares (empty, too large, binary). Any exception ends the file with one rejection ({@code read_truncated} when a
 * compressed stream ended early, otherwise {@code read_unreadable}); what was emitted before it is kept.
 */
abstract class FileRecords implements Iterator<StageOutput>, Closeable {
  protected final InputFile file;
  protected final CorpusReader options;
  private final Configuration conf;
  private final ArrayDeque<StageOutput> pending = new ArrayDeque<>();
  /** Named counts of this file for the read stage's statistics (lines joined, parts), besides its rejections. */
  protected final StageCounters counters = new StageCounters();
  private InputStream stream;
  private boolean done;
  private long produced;

  FileRecords(InputFile file, CorpusReader options, Configuration conf) {
    this.file = file;
    this.options = options;
    this.conf = conf;
  }

  /** Parse the next record (emitting zero or more outputs); return false when the file has no more records. */
  protected abstract boolean advance() throws IOException;

  /** The id of the rejection that records a failure at the current position. */
  protected String failureId() {
    return file.id();
  }

  /** The text read of the record that was being parsed when a failure happened. */
  protected String partialText() {
    return "";
  }

  /** Open the file through Hadoop's FileSystem and its decompressor (not for Parquet, which opens itself). */
  protected InputStream open() throws IOException {
    Path p = new Path(file.path());
    stream = file.compression().wrap(p.getFileSystem(conf).open(p, 1 << 16));
    return stream;
  }

  protected Configuration conf() {
    return conf;
  }

  @Override public final boolean hasNext() {
    while (pending.isEmpty() && !done) {
      try {
        if (!advance()) finish();
      } catch (IOException | RuntimeException e) {
        reject(failureId(), classify(e), e.toString(), partialText());
        finish();
      }
    }
    return !pending.isEmpty();
  }

  @Override public final StageOutput next() {
    if (!hasNext()) throw new NoSuchElementException();
    return pending.poll();
  }

  private void finish() {
    done = true;
    // A file that yields nothing at all (empty, only blank lines) is reported, never skipped silently.
    if (produced == 0) reject(file.id(), ReadReasons.EMPTY, "file has no documents", "");
    close();
  }

  private String classify(Exception e) {
    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    boolean endedEarly = e instanceof EOFException || msg.contains("truncat") || msg.contains("unexpected end")
        || msg.contains("premature");
    return endedEarly ? ReadReasons.TRUNCATED : ReadReasons.UNREADABLE;
  }

  /** Queue a document after the shared checks; a failed check queues the rejection instead. */
  protected void emit(String id, String url, String text) {
    String reason = null;
    String detail = null;
    long bytes = Utf8.encodedLength(text);
    if (text.isBlank()) {
      reason = ReadReasons.EMPTY;
    } else if (bytes > options.getMaxDocBytes()) {
      reason = ReadReasons.TOO_LARGE;
      detail = bytes + " bytes > max_doc_bytes " + options.getMaxDocBytes();
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

  /** Queue a rejection; its text is cut to {@code rejected_text_max_chars} so garbage cannot bloat the output. */
  protected void reject(String id, String reason, String detail, String text) {
    produced++;
    String t = text == null ? "" : text;
    int max = options.getRejectedTextMaxChars();
    if (t.length() > max) t = t.substring(0, max);
    pending.add(StageOutput.rejected(new RejectedDocument(id, file.path(), ReadReasons.STAGE, reason, detail, t)));
  }

  /**
   * Why {@code text} looks like binary data decoded as UTF-8, or null if it looks like text: more NUL characters
   * than {@code binary_max_nul_chars}, or a share of control characters (other than tab, newline, carriage return,
   * form feed) plus U+FFFD replacement characters above {@code binary_max_control_fraction}.
   */
  protected String binaryEvidence(CharSequence text) {
    int len = text.length();
    if (len == 0) return null;
    long nul = 0;
    long bad = 0;
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      if (c == 0) nul++;
      if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f')) bad++;
    }
    if (nul > options.getBinaryMaxNulChars()) return nul + " NUL characters";
    double share = (double) bad / len;
    if (share > options.getBinaryMaxControlFraction()) {
      return String.format(Locale.ROOT, "%.3f of characters are control or U+FFFD", share);
    }
    return null;
  }

  /** Reject the whole file if its head is binary; true if it was rejected. */
  protected boolean sniffBinary(LineReader reader) throws IOException {
    byte[] head = reader.peek(options.getBinarySniffBytes());
    String evidence = binaryEvidence(decode(head, head.length, true));
    if (evidence == null) return false;
    reject(file.id(), ReadReasons.BINARY_CONTENT, "first " + head.length + " bytes: " + evidence, "");
    return true;
  }

  StageCounters counters() {
    return counters;
  }

  @Override public void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Closing a read-only stream: nothing left to lose.
      }
      stream = null;
    }
  }

  /** Decode UTF-8 with U+FFFD for invalid sequences and drop a leading byte order mark. */
  static String decode(byte[] bytes, int len, boolean first) {
    String s = new String(bytes, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    return first && !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
  }
}
