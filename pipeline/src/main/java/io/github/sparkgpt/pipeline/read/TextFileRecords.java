package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/** Format {@code text}: the whole file is one document whose id is the file path. */
final class TextFileRecords extends FileRecords {
  private final BoundedBytes bytes = new BoundedBytes();
  private boolean read;

  TextFileRecords(InputFile file, CorpusReader options, Configuration conf) {
    super(file, options, conf);
  }

  @Override protected boolean advance() throws IOException {
    if (read) return false;
    read = true;
    // Read one byte past the limit to know it was passed, never the rest of a huge file.
    bytes.readFrom(open(), (int) options.getMaxDocBytes());
    String text = decode(bytes.data(), bytes.length(), true);
    if (bytes.exceeded()) {
      reject(file.path(), ReadReasons.TOO_LARGE, "more than max_doc_bytes " + options.getMaxDocBytes(), text);
    } else {
      emit(file.path(), null, text);
    }
    return true;
  }

  @Override protected String partialText() {
    return decode(bytes.data(), bytes.length(), true);
  }
}
