package io.github.sparkgpt.pipeline.stats;

import io.github.sparkgpt.pipeline.pack.Packing;
import io.github.sparkgpt.pipeline.pack.WindowSplit;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything {@code stats.json} and the printed summary report about one preprocess run. */
public final class PreprocessStats {
  private final List<StageStats> stages = new ArrayList<>();
  private long inputBytes = -1;
  private java.util.SortedMap<Long, Long> duplicateClusters;
  private Packing.SplitTotals trainTokens;
  private Packing.SplitTotals validationTokens;
  private List<ShardInfo> trainShards = List.of();
  private List<ShardInfo> validationShards = List.of();
  private int sequenceLength;
  private double elapsedSeconds;
  private String windowSplitReason;
  private WindowSplit.Side windowTrain;
  private WindowSplit.Side windowValidation;
  private long windowTokensDropped;
  private final List<String> warnings = new ArrayList<>();

  public void addStage(StageStats s) { stages.add(s); }
  public List<StageStats> stages() { return stages; }
  public StageStats first() { return stages.get(0); }
  public StageStats last() { return stages.get(stages.size() - 1); }

  public StageStats stage(String name) {
    return stages.stream().filter(s -> s.stage().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + name));
  }

  /** Raw bytes read from the inputs (compressed size for compressed files), or -1 if unknown. */
  public void setInputBytes(long bytes) { this.inputBytes = bytes; }
  /** Near-duplicate cluster size (members) to number of clusters. */
  public void setDuplicateClusters(java.util.SortedMap<Long, Long> sizes) { this.duplicateClusters = sizes; }
  public void setTokenTotals(Packing.SplitTotals train, Packing.SplitTotals validation) {
    this.trainTokens = train;
    this.validationTokens = validation;
  }
  public void setShards(List<ShardInfo> train, List<ShardInfo> validation, int sequenceLength) {
    this.trainShards = train;
    this.validationShards = validation;
    this.sequenceLength = sequenceLength;
  }
  public void setElapsedSeconds(double s) { this.elapsedSeconds = s; }

  /** The split was by sequence window ({@code reason}); the sides' counts and the tokens in partial windows. */
  public void setWindowSplit(String reason, WindowSplit.Side train, WindowSplit.Side validation, long tokensDropped) {
    this.windowSplitReason = reason;
    this.windowTrain = train;
    this.windowValidation = validation;
    this.windowTokensDropped = tokensDropped;
  }

  /** Something the user must see (an empty split): printed in the summary and listed in stats.json. */
  public void addWarning(String w) { warnings.add(w); }
  public List<String> warnings() { return List.copyOf(warnings); }

  /** The most frequent drop reasons over all stages, e.g. {@code gopher_long_doc=20 (quality.gopher_quality)}. */
  public String topDropReasons(int k) {
    List<String[]> all = new ArrayList<>();
    for (StageStats s : stages) {
      s.drops().forEach((reason, n) -> { if (n > 0) all.add(new String[] {reason, s.stage(), Long.toString(n)}); });
    }
    all.sort((a, b) -> Long.compare(Long.parseLong(b[2]), Long.parseLong(a[2])));
    StringBuilder sb = new StringBuilder();
    for (String[] r : all.subList(0, Math.min(k, all.size()))) {
      sb.append(sb.length() == 0 ? "" : ", ").append(r[0]).append('=').append(r[2]).append(" (").append(r[1]).append(')');
    }
    if (all.size() > k) sb.append(", ...");
    return sb.length() == 0 ? "none (no input documents)" : sb.toString();
  }

  public long rows(boolean validation) {
    return (validation ? validationShards : trainShards).stream().mapToLong(ShardInfo::rows).sum();
  }

  public long documentsRejected() {
    return stages.stream().mapToLong(StageStats::dropped).sum();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("elapsed_seconds", elapsedSeconds);
    m.put("input_bytes", inputBytes);
    List<Map<String, Object>> st = new ArrayList<>();
    for (StageStats s : stages) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("stage", s.stage());
      e.put("docs_in", s.docsIn());
      e.put("docs_out", s.docsOut());
      e.put("bytes_in", s.bytesIn());
      e.put("bytes_out", s.bytesOut());
      e.put("dropped", s.drops());
      e.put("counters", s.counters());
      st.add(e);
    }
    m.put("stages", st);
    if (duplicateClusters != null) m.put("near_duplicate_cluster_sizes", duplicateClusters);
    if (trainTokens != null) {
      Map<String, Object> split = new LinkedHashMap<>();
      split.put("mode", windowSplitReason == null ? Manifest.SPLIT_BY_DOCUMENT : Manifest.SPLIT_BY_WINDOW);
      split.put("documents", trainTokens.documents + validationTokens.documents);
      if (windowSplitReason != null) split.put("reason", windowSplitReason);
      m.put("split", split);
    }
    Map<String, Object> tokens = new LinkedHashMap<>();
    for (String split : List.of("train", "validation")) {
      Packing.SplitTotals t = split.equals("train") ? trainTokens : validationTokens;
      if (t == null) continue;
      long rows = rows(split.equals("validation"));
      Map<String, Object> e = new LinkedHashMap<>();
      if (windowSplitReason != null) {
        // One stream of every document, cut into windows: the sides hold windows, documents can be on both.
        WindowSplit.Side w = split.equals("train") ? windowTrain : windowValidation;
        e.put("documents", w.documents);
        e.put("document_tokens", w.documentTokens);
        e.put("packed_tokens", rows * sequenceLength);
        e.put("sequences", rows);
        e.put("tokens_dropped_in_last_partial_sequences", split.equals("train") ? windowTokensDropped : 0);
        tokens.put(split, e);
        continue;
      }
      e.put("documents", t.documents);
      e.put("document_tokens", t.tokens);
      e.put("packed_tokens", rows * sequenceLength);
      e.put("sequences", rows);
      e.put("tokens_dropped_in_last_partial_sequences", t.streamTokens() - rows * sequenceLength);
      e.put("document_length_tokens", histogramJson(t.documentTokens));
      tokens.put(split, e);
    }
    m.put("tokens", tokens);
    m.put("warnings", warnings);
    return m;
  }

  private static Map<String, Object> histogramJson(Histogram h) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("count", h.count());
    e.put("min", h.min());
    e.put("max", h.max());
    e.put("mean", Math.round(h.mean() * 10) / 10.0);
    e.put("buckets", h.buckets());
    return e;
  }

  /** A readable table: documents and bytes through every stage, top drop reasons, tokens and throughput. */
  public String summary(String output) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "preprocess: %s%n", output));
    sb.append(String.format(Locale.ROOT, "%-18s %10s %10s %10s %10s  %s%n", "stage", "docs in", "docs out", "MB in",
        "MB out", "dropped (top reasons)"));
    for (StageStats s : stages) {
      sb.append(String.format(Locale.ROOT, "%-18s %10d %10d %10.2f %10.2f  %s%n", s.stage(), s.docsIn(), s.docsOut(),
          s.bytesIn() / 1e6, s.bytesOut() / 1e6, topReasons(s.drops(), 3)));
    }
    sb.append(readCounts());
    if (duplicateClusters != null && !duplicateClusters.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "near-duplicate clusters: %d (largest %d documents)%n",
          duplicateClusters.values().stream().mapToLong(Long::longValue).sum(), duplicateClusters.lastKey()));
    }
    if (trainTokens != null) {
      long train = windowSplitReason == null ? trainTokens.tokens : windowTrain.documentTokens;
      long validation = windowSplitReason == null ? validationTokens.tokens : windowValidation.documentTokens;
      sb.append(String.format(Locale.ROOT, "tokens: train %,d in %,d sequences of %d (%d shards), validation %,d in %,d"
              + " sequences (%d shards)%n", train, rows(false), sequenceLength, trainShards.size(),
          validation, rows(true), validationShards.size()));
      sb.append(windowSplitReason == null ? "split: by document (seeded hash of the document id)\n"
          : "split: by sequence window (" + windowSplitReason + "): windows of one document can be on both sides\n");
    }
    for (String w : warnings) sb.append("WARNING: ").append(w).append('\n');
    double mb = (inputBytes > 0 ? inputBytes : first().bytesIn()) / 1e6;
    sb.append(String.format(Locale.ROOT, "kept %d of %d documents (%d rejected, see rejected/); %.1f MB in %.1f s = %.2f MB/s",
        last().docsOut(), first().docsIn(), documentsRejected(), mb, elapsedSeconds,
        elapsedSeconds > 0 ? mb / elapsedSeconds : 0));
    return sb.toString();
  }

  /**
   * The read stage's counts as summary lines: WARC records by type (and those skipped), HTTP statuses, and what damage
   * and storage errors cost (resynchronisations, bytes skipped or lost, retried reads); empty when there are none.
   */
  String readCounts() {
    Map<String, Long> c = stages.isEmpty() ? Map.of() : first().counters();
    StringBuilder sb = new StringBuilder();
    // title, key prefix, shown part of the key (the prefix is dropped where the title says it)
    String[][] groups = {{"warc records", "warc_records_", "strip"}, {"warc records skipped", "warc_skipped_", "strip"},
        {"http status", "warc_http_status_", "strip"}, {"read damage", "read_", "keep"}};
    for (String[] g : groups) {
      StringBuilder line = new StringBuilder();
      c.forEach((k, v) -> {
        if (!k.startsWith(g[1])) return;
        String name = g[2].equals("strip") ? k.substring(g[1].length()) : k;
        line.append(line.length() == 0 ? "" : ", ").append(name).append('=').append(v);
      });
      if (line.length() > 0) sb.append(String.format(Locale.ROOT, "%s: %s%n", g[0], line));
    }
    return sb.toString();
  }

  private static String topReasons(Map<String, Long> drops, int k) {
    StringBuilder sb = new StringBuilder();
    drops.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(k)
        .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
    if (drops.size() > k) sb.append(", ...");
    return sb.toString();
  }
}
