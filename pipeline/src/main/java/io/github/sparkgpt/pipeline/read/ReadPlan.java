package io.github.sparkgpt.pipeline.read;

import java.util.List;

/** The files a read will process, expanded and sorted on the driver; {@link #totalBytes()} is for throughput. */
public record ReadPlan(List<InputFile> files) {
  public ReadPlan {
    files = List.copyOf(files);
  }

  /** Raw input bytes: the sum of the files' sizes on disk (compressed bytes for compressed files). */
  public long totalBytes() {
    return files.stream().mapToLong(InputFile::length).sum();
  }
}
