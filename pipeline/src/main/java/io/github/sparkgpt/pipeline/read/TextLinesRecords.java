package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * Format {@code text_lines}: one document per line, id {@code path#L<line>} (1-based). Blank lines
 * are separators, not documents, and are skipped. A file whose first bytes look binary is rejected
 * whole, not line by line.
 */
final class TextLinesRecords extends FileRecords {
  private LineReader lines;

  TextLinesRecords(InputFile file, RecordLimits limits, Configuration conf) {
    super(file, limits, conf);
  }

  @Override
  protected boolean advance() throws IOException {
    if (lines == null) {
      lines = new LineReader(open(), (int) limits.maxDocBytes());
      if (sniffBinary(lines)) return false;
    }
    if (!lines.next()) return false;
    String text = decode(lines.bytes(), lines.length(), lines.lineNumber() == 1);
    String id = file.id() + "#L" + lines.lineNumber();
    if (lines.oversized()) {
      reject(
          id,
          ReadReasons.TOO_LARGE,
          lines.fullLength() + " bytes > max_doc_bytes " + limits.maxDocBytes(),
          text);
    } else if (!text.isBlank()) {
      emit(id, null, text);
    }
    return true;
  }

  @Override
  protected String failureId() {
    return lines == null ? file.id() : file.id() + "#L" + lines.lineNumber();
  }

  @Override
  protected String partialText() {
    return lines == null ? "" : decode(lines.bytes(), lines.length(), false);
  }
}
