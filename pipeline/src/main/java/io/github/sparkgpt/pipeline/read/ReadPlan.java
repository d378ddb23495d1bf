package io.github.sparkgpt.pipeline.read;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files a read will process, expanded and sorted on the driver; {@link #totalBytes()} is for
 * throughput.
 *
 * @param files the files, sorted by path
 * @param counters what listing skipped, by reason ({@link #SYMLINK_LOOPS}, {@link
 *     #REPEATED_DIRECTORIES}); the read stage's statistics carry them
 * @param skipped one line per skipped directory, for the console
 */
public record ReadPlan(List<InputFile> files, Map<String, Long> counters, List<String> skipped) {
  /** Directories skipped because a symbolic link leads back to one of their ancestors. */
  public static final String SYMLINK_LOOPS = "listing_symlink_loops";

  /** Directories skipped because another link to the same real directory was listed already. */
  public static final String REPEATED_DIRECTORIES = "listing_repeated_directories";

  public ReadPlan {
    files = List.copyOf(files);
    counters = new TreeMap<>(counters);
    skipped = List.copyOf(skipped);
  }

  public ReadPlan(List<InputFile> files) {
    this(files, Map.of(), List.of());
  }

  /**
   * Raw input bytes: the sum of the files' sizes on disk (compressed bytes for compressed files).
   */
  public long totalBytes() {
    return files.stream().mapToLong(InputFile::length).sum();
  }
}
