package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.StageOutput;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * The files of one partition, one after another, each opened only when the previous one is
 * exhausted.
 */
final class PartitionRecords implements Iterator<StageOutput>, AutoCloseable {
  private final Iterator<InputFile> files;
  private final ReadOptions options;
  private final Configuration conf;
  private FileRecordsIterator current;

  PartitionRecords(List<InputFile> files, ReadOptions options, Configuration conf) {
    this.files = files.iterator();
    this.options = options;
    this.conf = conf;
  }

  @Override
  public boolean hasNext() {
    while (current == null || !current.hasNext()) {
      if (!files.hasNext()) return false;
      current = FileRecordsIterator.open(files.next(), options, conf);
    }
    return true;
  }

  @Override
  public StageOutput next() {
    if (!hasNext()) throw new NoSuchElementException();
    return current.next();
  }

  @Override
  public void close() {
    if (current != null) current.close();
  }
}
