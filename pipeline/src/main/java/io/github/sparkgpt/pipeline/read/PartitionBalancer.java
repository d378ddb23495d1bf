package io.github.sparkgpt.pipeline.read;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Spreads the planned files over read partitions by size. A file is never split across tasks: gzip
 * and zstd streams cannot be split, WARC records and HTML pages are per file anyway, and line
 * numbers in ids need a read from the start of the file.
 */
final class PartitionBalancer {
  /**
   * Partitions per core when none are configured: small files even out better over more, smaller
   * tasks.
   */
  static final int PARTITIONS_PER_CORE = 4;

  private PartitionBalancer() {}

  /**
   * The configured count, or min(number of files, {@value #PARTITIONS_PER_CORE} x default
   * parallelism).
   */
  static int partitions(int configured, int files, int defaultParallelism) {
    return configured > 0
        ? configured
        : Math.max(1, Math.min(files, PARTITIONS_PER_CORE * defaultParallelism));
  }

  /**
   * Largest files first, each into the currently lightest group: sizes even out, order inside a
   * group is stable.
   */
  static List<List<InputFile>> balance(List<InputFile> files, int n) {
    List<List<InputFile>> groups = new ArrayList<>();
    long[] load = new long[Math.max(1, Math.min(n, files.size()))];
    for (int i = 0; i < load.length; i++) groups.add(new ArrayList<>());
    List<InputFile> bySize = new ArrayList<>(files);
    bySize.sort(
        Comparator.comparingLong(InputFile::length).reversed().thenComparing(InputFile::path));
    for (InputFile f : bySize) {
      int best = 0;
      for (int i = 1; i < load.length; i++) if (load[i] < load[best]) best = i;
      groups.get(best).add(f);
      load[best] += Math.max(1, f.length());
    }
    for (List<InputFile> g : groups) g.sort(Comparator.comparing(InputFile::path));
    return groups;
  }
}
