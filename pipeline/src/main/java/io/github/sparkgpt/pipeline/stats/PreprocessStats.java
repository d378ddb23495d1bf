package io.github.sparkgpt.pipeline.stats;

import io.github.sparkgpt.pipeline.dedup.MinHashDedup;
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

  /**
   * Flagged documents the summary names per stage (stats.json lists up to {@link
   * StageStats#MAX_FLAGGED}).
   */
  private static final int SUMMARY_FLAGGED = 5;

  private double flagRemovedShare =
      io.github.sparkgpt.pipeline.DocumentChain.DEFAULT_FLAG_REMOVED_SHARE;

  public void addStage(StageStats s) {
    stages.add(s);
  }

  public List<StageStats> stages() {
    return stages;
  }

  public StageStats first() {
    return stages.get(0);
  }

  public StageStats last() {
    return stages.get(stages.size() - 1);
  }

  public StageStats stage(String name) {
    return stages.stream()
        .filter(s -> s.stage().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + name));
  }

  /** Raw bytes read from the inputs (compressed size for compressed files), or -1 if unknown. */
  public void setInputBytes(long bytes) {
    this.inputBytes = bytes;
  }

  public void setTokenTotals(Packing.SplitTotals train, Packing.SplitTotals validation) {
    this.trainTokens = train;
    this.validationTokens = validation;
  }

  public void setShards(List<ShardInfo> train, List<ShardInfo> validation, int sequenceLength) {
    this.trainShards = train;
    this.validationShards = validation;
    this.sequenceLength = sequenceLength;
  }

  public void setElapsedSeconds(double s) {
    this.elapsedSeconds = s;
  }

  /** The share of a document's bytes above which a stage flags it (for the summary's wording). */
  public void setFlagRemovedShare(double share) {
    this.flagRemovedShare = share;
  }

  /**
   * The split was by sequence window ({@code reason}); the sides' counts and the tokens in partial
   * windows.
   */
  public void setWindowSplit(
      String reason, WindowSplit.Side train, WindowSplit.Side validation, long tokensDropped) {
    this.windowSplitReason = reason;
    this.windowTrain = train;
    this.windowValidation = validation;
    this.windowTokensDropped = tokensDropped;
  }

  /**
   * Something the user must see (an empty split): printed in the summary and listed in stats.json.
   */
  public void addWarning(String w) {
    warnings.add(w);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * The most frequent drop reasons over all stages, e.g. {@code gopher_long_doc=20
   * (quality.gopher_quality)}.
   */
  public String topDropReasons(int k) {
    List<String[]> all = new ArrayList<>();
    for (StageStats s : stages) {
      s.drops()
          .forEach(
              (reason, n) -> {
                if (n > 0) all.add(new String[] {reason, s.stage(), Long.toString(n)});
              });
    }
    all.sort((a, b) -> Long.compare(Long.parseLong(b[2]), Long.parseLong(a[2])));
    StringBuilder sb = new StringBuilder();
    for (String[] r : all.subList(0, Math.min(k, all.size()))) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(r[0])
          .append('=')
          .append(r[2])
          .append(" (")
          .append(r[1])
          .append(')');
    }
    if (all.size() > k) sb.append(", ...");
    return sb.length() == 0 ? "none (no input documents)" : sb.toString();
  }

  /**
   * A stage's distribution by name (e.g. near-duplicate cluster sizes), or null when no stage
   * recorded it.
   */
  public java.util.SortedMap<Long, Long> distribution(String name) {
    return stages.stream()
        .map(s -> s.distributions().get(name))
        .filter(d -> d != null)
        .findFirst()
        .orElse(null);
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
      Map<String, Object> removed = removedByRule(s);
      if (!removed.isEmpty()) e.put("removed_by_rule", removed);
      if (!s.flagged().isEmpty()) {
        List<Map<String, Object>> flagged = new ArrayList<>();
        for (StageStats.Flagged f : s.flagged()) {
          Map<String, Object> fe = new LinkedHashMap<>();
          fe.put("id", f.id());
          fe.put("bytes_before", f.bytesBefore());
          fe.put("bytes_removed", f.bytesRemoved());
          fe.put("share_removed", Math.round(f.share() * 1000) / 1000.0);
          fe.put("removed_bytes_by_rule", f.rules());
          flagged.add(fe);
        }
        e.put("flagged_documents", flagged);
      }
      st.add(e);
    }
    m.put("stages", st);
    for (StageStats s : stages) m.putAll(s.distributions());
    if (trainTokens != null) {
      Map<String, Object> split = new LinkedHashMap<>();
      split.put(
          "mode",
          windowSplitReason == null ? Manifest.SPLIT_BY_DOCUMENT : Manifest.SPLIT_BY_WINDOW);
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
        // One stream of every document, cut into windows: the sides hold windows, documents can be
        // on both.
        WindowSplit.Side w = split.equals("train") ? windowTrain : windowValidation;
        e.put("documents", w.documents);
        e.put("document_tokens", w.documentTokens);
        e.put("packed_tokens", rows * sequenceLength);
        e.put("sequences", rows);
        e.put(
            "tokens_dropped_in_last_partial_sequences",
            split.equals("train") ? windowTokensDropped : 0);
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

  /**
   * A readable table: documents and bytes through every stage, top drop reasons, tokens and
   * throughput.
   */
  public String summary(String output) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "preprocess: %s%n", output));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-18s %10s %10s %10s %10s  %s%n",
            "stage",
            "docs in",
            "docs out",
            "MB in",
            "MB out",
            "dropped (top reasons)"));
    for (StageStats s : stages) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-18s %10d %10d %10.2f %10.2f  %s%n",
              s.stage(),
              s.docsIn(),
              s.docsOut(),
              s.bytesIn() / 1e6,
              s.bytesOut() / 1e6,
              topReasons(s.drops(), 3)));
    }
    sb.append(readCounts());
    for (StageStats s : stages) {
      Map<String, Object> removed = removedByRule(s);
      if (!removed.isEmpty()) {
        sb.append(
            String.format(Locale.ROOT, "%s removed from kept and dropped documents:", s.stage()));
        removed.forEach(
            (rule, v) -> {
              @SuppressWarnings("unchecked")
              Map<String, Long> m = (Map<String, Long>) v;
              String lines =
                  m.containsKey("lines")
                      ? String.format(Locale.ROOT, "%,d lines, ", m.get("lines"))
                      : "";
              sb.append(
                  String.format(Locale.ROOT, " %s %s%,d bytes;", rule, lines, m.get("bytes")));
            });
        sb.setLength(sb.length() - 1);
        sb.append(System.lineSeparator());
      }
      long flaggedDocs = s.counters().getOrDefault("documents_flagged_removed_share", 0L);
      if (flaggedDocs > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%s removed more than %.0f%% of %d kept documents:%n",
                s.stage(),
                flagRemovedShare * 100,
                flaggedDocs));
        for (StageStats.Flagged f :
            s.flagged().subList(0, Math.min(SUMMARY_FLAGGED, s.flagged().size()))) {
          StringBuilder rules = new StringBuilder();
          f.rules().entrySet().stream()
              .filter(r -> r.getValue() * 100 >= f.bytesBefore())
              .limit(3)
              .forEach(
                  r ->
                      rules
                          .append(rules.length() == 0 ? "" : ", ")
                          .append(r.getKey())
                          .append(
                              String.format(
                                  Locale.ROOT, " %.0f%%", 100.0 * r.getValue() / f.bytesBefore())));
          sb.append(
              String.format(
                  Locale.ROOT,
                  "  %.0f%% of %s (%,d bytes)%s%n",
                  f.share() * 100,
                  f.id(),
                  f.bytesBefore(),
                  rules.length() == 0 ? "" : ": " + rules));
        }
        int shown = Math.min(SUMMARY_FLAGGED, s.flagged().size());
        if (flaggedDocs > shown) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "  ... and %d more (stats.json lists %d)%n",
                  flaggedDocs - shown,
                  s.flagged().size()));
        }
      }
    }
    java.util.SortedMap<Long, Long> duplicateClusters = distribution(MinHashDedup.CLUSTER_SIZES);
    if (duplicateClusters != null && !duplicateClusters.isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "near-duplicate clusters: %d (largest %d documents)%n",
              duplicateClusters.values().stream().mapToLong(Long::longValue).sum(),
              duplicateClusters.lastKey()));
    }
    if (trainTokens != null) {
      long train = windowSplitReason == null ? trainTokens.tokens : windowTrain.documentTokens;
      long validation =
          windowSplitReason == null ? validationTokens.tokens : windowValidation.documentTokens;
      sb.append(
          String.format(
              Locale.ROOT,
              "tokens: train %,d in %,d sequences of %d (%d shards), validation %,d in %,d"
                  + " sequences (%d shards)%n",
              train,
              rows(false),
              sequenceLength,
              trainShards.size(),
              validation,
              rows(true),
              validationShards.size()));
      sb.append(
          windowSplitReason == null
              ? "split: by document (seeded hash of the document id)\n"
              : "split: by sequence window ("
                  + windowSplitReason
                  + "): windows of one document can be on both sides\n");
    }
    for (String w : warnings) sb.append("WARNING: ").append(w).append('\n');
    double mb = (inputBytes > 0 ? inputBytes : first().bytesIn()) / 1e6;
    sb.append(
        String.format(
            Locale.ROOT,
            "kept %d of %d documents (%d rejected, see rejected/); %.1f MB in %.1f s = %.2f MB/s",
            last().docsOut(),
            first().docsIn(),
            documentsRejected(),
            mb,
            elapsedSeconds,
            elapsedSeconds > 0 ? mb / elapsedSeconds : 0));
    return sb.toString();
  }

  /**
   * The read stage's counts as summary lines: WARC records by type (and those skipped), HTTP
   * statuses, and what damage and storage errors cost (resynchronisations, bytes skipped or lost,
   * retried reads); empty when there are none.
   */
  String readCounts() {
    Map<String, Long> c = stages.isEmpty() ? Map.of() : first().counters();
    StringBuilder sb = new StringBuilder();
    // title, key prefix, shown part of the key (the prefix is dropped where the title says it)
    String[][] groups = {
      {"warc records", "warc_records_", "strip"},
      {"warc records skipped", "warc_skipped_", "strip"},
      {"http status", "warc_http_status_", "strip"},
      {"read damage", "read_", "keep"}
    };
    for (String[] g : groups) {
      StringBuilder line = new StringBuilder();
      c.forEach(
          (k, v) -> {
            if (!k.startsWith(g[1])) return;
            String name = g[2].equals("strip") ? k.substring(g[1].length()) : k;
            line.append(line.length() == 0 ? "" : ", ").append(name).append('=').append(v);
          });
      if (line.length() > 0) sb.append(String.format(Locale.ROOT, "%s: %s%n", g[0], line));
    }
    return sb.toString();
  }

  /**
   * Lines and bytes removed per rule, from counters {@code <family>_removed_bytes_<rule>} and
   * {@code <family>_removed_line_<rule>}: rule to {"lines", "bytes"}, most bytes first.
   */
  static Map<String, Object> removedByRule(StageStats s) {
    String infix = io.github.sparkgpt.pipeline.StageCounters.REMOVED_BYTES;
    Map<String, Object> out = new LinkedHashMap<>();
    s.counters().entrySet().stream()
        .filter(e -> e.getKey().contains(infix))
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(
            e -> {
              String rule = e.getKey().replace(infix, "_");
              Map<String, Long> m = new LinkedHashMap<>();
              Long lines = s.counters().get(e.getKey().replace(infix, "_removed_line_"));
              if (lines != null) m.put("lines", lines);
              m.put("bytes", e.getValue());
              out.put(rule, m);
            });
    return out;
  }

  private static String topReasons(Map<String, Long> drops, int k) {
    StringBuilder sb = new StringBuilder();
    drops.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(k)
        .forEach(
            e ->
                sb.append(sb.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue()));
    if (drops.size() > k) sb.append(", ...");
    return sb.toString();
  }
}
