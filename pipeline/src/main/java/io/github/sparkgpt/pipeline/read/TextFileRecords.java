package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Format {@code text}: one file is one document, id = the file's id; hard-wrapped lines are joined
 * ({@link HardWrap}) and a long file is cut into parts with ids {@code <id>#part=<n>}, 1-based
 * ({@link TextSplitter}). With splitting on, the file is read up to {@code max_record_bytes} and
 * each part must fit {@code max_doc_bytes}; with it off, the whole file must fit {@code
 * max_doc_bytes}.
 */
final class TextFileRecords extends FileRecords {
  /**
   * Read-stage counters: files whose lines were joined, line breaks removed, files cut, parts made.
   */
  static final String UNWRAPPED_DOCUMENTS = "unwrap_documents";

  static final String LINES_JOINED = "unwrap_lines_joined";
  static final String SPLIT_FILES = "split_files";
  static final String SPLIT_PARTS = "split_parts";

  private final TextOptions options;
  private final BoundedBytes bytes = new BoundedBytes();
  private boolean read;

  TextFileRecords(InputFile file, RecordLimits limits, TextOptions options, Configuration conf) {
    super(file, limits, conf);
    this.options = options;
  }

  @Override
  protected boolean advance() throws IOException {
    if (read) return false;
    read = true;
    boolean splitting = options.split() != TextSplitter.Mode.NEVER;
    long limit =
        splitting ? Math.max(limits.maxDocBytes(), limits.maxRecordBytes()) : limits.maxDocBytes();
    // Read one byte past the limit to know it was passed, never the rest of a huge file.
    bytes.readFrom(open(), (int) limit);
    String text = decode(bytes.data(), bytes.length(), true);
    if (bytes.exceeded()) {
      String key = splitting ? "max_record_bytes " : "max_doc_bytes ";
      reject(file.id(), ReadReasons.TOO_LARGE, "more than " + key + limit, text);
      return true;
    }
    String binary = binaryEvidence(text);
    if (binary != null) { // one rejection for the file, not one per part
      reject(file.id(), ReadReasons.BINARY_CONTENT, binary, text);
      return true;
    }
    HardWrap.Result unwrapped = HardWrap.unwrap(text, options.unwrap());
    if (unwrapped.linesJoined() > 0) {
      count(UNWRAPPED_DOCUMENTS, 1);
      count(LINES_JOINED, unwrapped.linesJoined());
    }
    List<String> parts = options.splitter().split(unwrapped.text());
    if (parts.size() == 1) {
      emit(file.id(), null, parts.get(0));
      return true;
    }
    count(SPLIT_FILES, 1);
    count(SPLIT_PARTS, parts.size());
    for (int i = 0; i < parts.size(); i++) emit(file.id() + "#part=" + (i + 1), null, parts.get(i));
    return true;
  }

  @Override
  protected String partialText() {
    return decode(bytes.data(), bytes.length(), true);
  }
}
