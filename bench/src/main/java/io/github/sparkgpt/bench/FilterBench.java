package io.github.sparkgpt.bench;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.language.LanguageFilter;
import io.github.sparkgpt.pipeline.filter.pii.PiiRedactor;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.FineWebQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherRepetitionFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Single-thread throughput (MB of UTF-8 text per CPU-second of this thread) and keep rate of each
 * filter stage (default settings) on real text files, one document per file, then of all stages
 * chained. Usage: {@code bench/run FilterBench DIR_OR_FILE...} (plain UTF-8 text).
 */
public final class FilterBench {
  /**
   * Thread CPU time, so the numbers hold on a machine shared with other jobs (wall time is printed
   * too).
   */
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println(
          "usage: bench/run FilterBench DIR_OR_FILE...   (one document per .txt file)");
      System.exit(2);
    }
    List<Document> docs = new ArrayList<>();
    for (String a : args) {
      try (Stream<Path> files = Files.walk(Path.of(a))) {
        for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          docs.add(Document.of(p.toString(), a, Files.readString(p, StandardCharsets.UTF_8)));
        }
      }
    }
    long bytes = docs.stream().mapToLong(Document::utf8Bytes).sum();
    System.out.printf("%d documents, %.2f MB%n", docs.size(), bytes / 1e6);
    List<DocumentStage> stages =
        List.of(
            new LanguageFilter(),
            new GopherQualityFilter(),
            new GopherRepetitionFilter(),
            new C4QualityFilter(),
            new FineWebQualityFilter(),
            new PiiRedactor());
    for (DocumentStage s : stages) {
      s.validate();
      long warm = System.nanoTime();
      while (System.nanoTime() - warm < 3e9)
        run(s.name(), List.of(s), docs, bytes, 1); // JIT, detector models
      run(s.name(), List.of(s), docs, bytes, 3);
    }
    run("all chained", stages, docs, bytes, 3);
  }

  private static void run(
      String name, List<DocumentStage> stages, List<Document> docs, long bytes, int reps) {
    Map<String, Integer> reasons = new TreeMap<>();
    StageCounters counters = new StageCounters();
    int kept = 0;
    long t0 = System.nanoTime();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    for (int r = 0; r < reps; r++) {
      kept = 0;
      reasons.clear();
      for (Document d : docs) {
        Document cur = d;
        for (DocumentStage s : stages) {
          Verdict v = s.apply(cur, counters);
          if (!v.kept()) {
            reasons.merge(v.reason(), 1, Integer::sum);
            cur = null;
            break;
          }
          cur = v.document();
        }
        if (cur != null) kept++;
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9 / reps;
    double cpuSecs = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9 / reps;
    if (reps > 1) {
      System.out.printf(
          "%-18s %7.2f MB/s per CPU-second (%6.2f MB/s wall)  kept %4d/%d  %s%n",
          name, bytes / 1e6 / cpuSecs, bytes / 1e6 / secs, kept, docs.size(), reasons);
    }
  }
}
