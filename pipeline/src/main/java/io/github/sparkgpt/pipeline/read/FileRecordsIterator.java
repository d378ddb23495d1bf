package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.StageOutput;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;

/**
 * The outputs of one file, read by the {@link FileRecords} of its format; {@link #close()} releases
 * the file if the caller stops early. A new format gets its case in {@link #open}.
 */
public final class FileRecordsIterator implements Iterator<StageOutput>, AutoCloseable {
  private final FileRecords records;

  private FileRecordsIterator(FileRecords records) {
    this.records = records;
  }

  /**
   * Each format reader gets the record limits plus its own options, never the whole configuration.
   */
  static FileRecordsIterator open(InputFile file, ReadOptions options, Configuration conf) {
    RecordLimits limits = options.limits();
    return new FileRecordsIterator(
        switch (file.format()) {
          case TEXT -> new TextFileRecords(file, limits, options.text(), conf);
          case TEXT_LINES -> new TextLinesRecords(file, limits, conf);
          case JSONL -> new JsonlRecords(file, limits, options.jsonl(), conf);
          case HTML -> new HtmlFileRecords(file, limits, conf);
          case WARC -> new WarcFileRecords(file, limits, options.warc(), conf);
          case PARQUET -> new ParquetFileRecords(file, limits, options.parquet(), conf);
        });
  }

  @Override
  public boolean hasNext() {
    return records.hasNext();
  }

  @Override
  public StageOutput next() {
    return records.next();
  }

  @Override
  public void close() {
    records.close();
  }
}
