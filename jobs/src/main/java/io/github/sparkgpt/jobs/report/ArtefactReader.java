package io.github.sparkgpt.jobs.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.report.ReportModel.Preprocess;
import io.github.sparkgpt.jobs.report.ReportModel.Split;
import io.github.sparkgpt.jobs.report.ReportModel.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a preprocess output (stats.json, manifest.json) into a {@link ReportModel}, and holds the
 * small file readers the report's other readers share. A required file that is missing or
 * unreadable is a {@link UsageException} naming it; optional values the files do not hold become
 * null. Pretraining runs are read by {@link PretrainReader}, task runs by {@link TaskRunReader}.
 */
public final class ArtefactReader {
  public static final String STATS = "stats.json";
  public static final String MANIFEST = "manifest.json";

  // Jackson writes NaN (e.g. accuracy of an empty split) as a bare token: accept it.
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private ArtefactReader() {}

  // ---- preprocess
  // ----------------------------------------------------------------------------------------------

  public static Preprocess preprocess(Path dir) {
    JsonNode stats = json(required(dir, STATS));
    JsonNode manifest = json(required(dir, MANIFEST));
    List<Stage> stages = new ArrayList<>();
    for (JsonNode s : stats.path("stages")) {
      stages.add(
          new Stage(
              s.path("stage").asText(),
              s.path("docs_in").asLong(),
              s.path("docs_out").asLong(),
              s.path("bytes_in").asLong(),
              s.path("bytes_out").asLong(),
              counts(s.path("dropped")),
              counts(s.path("counters"))));
    }
    Map<Long, Long> clusters = new TreeMap<>();
    stats
        .path("near_duplicate_cluster_sizes")
        .fields()
        .forEachRemaining(e -> clusters.put(Long.parseLong(e.getKey()), e.getValue().asLong()));
    List<Split> splits = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("tokens").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode t = e.getValue();
      JsonNode shards = manifest.path("splits").path(e.getKey()).path("shards");
      long shardBytes = 0;
      for (JsonNode sh : shards) shardBytes += sh.path("bytes").asLong();
      splits.add(
          new Split(
              e.getKey(),
              t.path("documents").asLong(),
              t.path("document_tokens").asLong(),
              t.path("packed_tokens").asLong(),
              t.path("sequences").asLong(),
              t.path("tokens_dropped_in_last_partial_sequences").asLong(),
              shards.size(),
              shardBytes));
    }
    List<String> inputs = new ArrayList<>();
    manifest.path("inputs").forEach(i -> inputs.add(i.asText()));
    JsonNode tok = manifest.path("tokenizer");
    return new Preprocess(
        dir,
        inputs,
        stats.path("elapsed_seconds").asDouble(),
        stats.path("input_bytes").asLong(-1),
        stages,
        clusters,
        splits,
        intOrNull(tok.path("vocab_size")),
        intOrNull(manifest.path("context_length")),
        tok.path("sha256").isTextual() ? tok.path("sha256").asText() : null);
  }

  // ---- small readers
  // -------------------------------------------------------------------------------------------

  static Path required(Path dir, String file) {
    Path p = dir.resolve(file);
    if (!Files.isRegularFile(p)) throw new UsageException(p + " not found");
    return p;
  }

  static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(p + ": " + e.getMessage());
    }
  }

  private static JsonNode json(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UsageException(p + ": not readable JSON (" + e.getMessage() + ")");
    }
  }

  static JsonNode json(String line, Path from) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UsageException(from + ": not readable JSON lines (" + e.getMessage() + ")");
    }
  }

  static Config hocon(Path p) {
    try {
      return ConfigFactory.parseFile(p.toFile());
    } catch (ConfigException e) {
      throw new UsageException(p + ": " + e.getMessage());
    }
  }

  private static Map<String, Long> counts(JsonNode n) {
    Map<String, Long> m = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }

  static Double number(JsonNode n, Double otherwise) {
    return n.isNumber() ? Double.valueOf(n.asDouble()) : otherwise;
  }

  private static Integer intOrNull(JsonNode n) {
    return n.isNumber() ? n.asInt() : null;
  }
}
