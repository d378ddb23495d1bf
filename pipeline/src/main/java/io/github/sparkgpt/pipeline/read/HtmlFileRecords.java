package io.github.sparkgpt.pipeline.read;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.jsoup.Jsoup;

/**
 * Format {@code html}: one page per file, id = the file path. The charset comes from a BOM or a
 * meta tag (UTF-8 otherwise); the page is read whole up to {@code max_record_bytes}, then reduced
 * to its main text.
 */
final class HtmlFileRecords extends FileRecords {
  private final BoundedBytes bytes = new BoundedBytes();
  private boolean read;

  HtmlFileRecords(InputFile file, RecordLimits limits, Configuration conf) {
    super(file, limits, conf);
  }

  @Override
  protected boolean advance() throws IOException {
    if (read) return false;
    read = true;
    bytes.readFrom(open(), (int) limits.maxRecordBytes());
    if (bytes.exceeded()) {
      reject(
          file.id(),
          ReadReasons.TOO_LARGE,
          "page over max_record_bytes " + limits.maxRecordBytes(),
          "");
      return true;
    }
    var page =
        Jsoup.parse(new ByteArrayInputStream(bytes.data(), 0, bytes.length()), null, file.path());
    emit(file.id(), null, HtmlTextExtractor.extract(page));
    return true;
  }
}
