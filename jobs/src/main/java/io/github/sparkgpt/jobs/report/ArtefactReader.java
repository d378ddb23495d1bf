package io.github.sparkgpt.jobs.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.pretrain.MetricsPlots;
import io.github.sparkgpt.jobs.pretrain.RunDirectory;
import io.github.sparkgpt.jobs.report.ReportModel.ClassMetrics;
import io.github.sparkgpt.jobs.report.ReportModel.Evaluation;
import io.github.sparkgpt.jobs.report.ReportModel.Preprocess;
import io.github.sparkgpt.jobs.report.ReportModel.Pretrain;
import io.github.sparkgpt.jobs.report.ReportModel.Split;
import io.github.sparkgpt.jobs.report.ReportModel.Stage;
import io.github.sparkgpt.jobs.report.ReportModel.TaskRun;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads run directories into a {@link ReportModel}: a preprocess output (stats.json, manifest.json), a pretraining
 * run (metrics.jsonl, config.conf, checkpoints/) and task run directories (metrics.json). A required file that is
 * missing or unreadable is a {@link UsageException} naming it; optional values the files do not hold become null.
 */
public final class ArtefactReader {
  public static final String STATS = "stats.json";
  public static final String MANIFEST = "manifest.json";
  public static final String TASK_METRICS = "metrics.json";
  /** The metrics.json keys whose objects are rendered as evaluations, in this order. */
  public static final List<String> EVALUATION_KEYS = List.of("validation", "test", "eval");

  // Jackson writes NaN (e.g. accuracy of an empty split) as a bare token: accept it.
  private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private ArtefactReader() {}

  // ---- preprocess ----------------------------------------------------------------------------------------------

  public static Preprocess preprocess(Path dir) {
    JsonNode stats = json(required(dir, STATS));
    JsonNode manifest = json(required(dir, MANIFEST));
    List<Stage> stages = new ArrayList<>();
    for (JsonNode s : stats.path("stages")) {
      stages.add(new Stage(s.path("stage").asText(), s.path("docs_in").asLong(), s.path("docs_out").asLong(),
          s.path("bytes_in").asLong(), s.path("bytes_out").asLong(), counts(s.path("dropped")), counts(s.path("counters"))));
    }
    Map<Long, Long> clusters = new TreeMap<>();
    stats.path("near_duplicate_cluster_sizes").fields()
        .forEachRemaining(e -> clusters.put(Long.parseLong(e.getKey()), e.getValue().asLong()));
    List<Split> splits = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("tokens").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode t = e.getValue();
      JsonNode shards = manifest.path("splits").path(e.getKey()).path("shards");
      long shardBytes = 0;
      for (JsonNode sh : shards) shardBytes += sh.path("bytes").asLong();
      splits.add(new Split(e.getKey(), t.path("documents").asLong(), t.path("document_tokens").asLong(),
          t.path("packed_tokens").asLong(), t.path("sequences").asLong(),
          t.path("tokens_dropped_in_last_partial_sequences").asLong(), shards.size(), shardBytes));
    }
    List<String> inputs = new ArrayList<>();
    manifest.path("inputs").forEach(i -> inputs.add(i.asText()));
    JsonNode tok = manifest.path("tokenizer");
    return new Preprocess(dir, inputs, stats.path("elapsed_seconds").asDouble(), stats.path("input_bytes").asLong(-1),
        stages, clusters, splits, intOrNull(tok.path("vocab_size")), intOrNull(manifest.path("context_length")),
        tok.path("sha256").isTextual() ? tok.path("sha256").asText() : null);
  }

  // ---- pretrain ------------------------------------------------------------------------------------------------

  public static Pretrain pretrain(Path dir) {
    Path metrics = required(dir, RunDirectory.METRICS);
    long steps = 0, tokens = 0;
    Long valStep = null;
    Double train = null, val = null, ppl = null, elapsed = null, tps = null;
    for (String line : lines(metrics)) {
      if (line.isBlank()) continue;
      JsonNode n = json(line, metrics);
      steps = n.path("step").asLong(steps);
      tokens = n.path("tokens_seen").asLong(tokens);
      train = number(n.path("train_loss"), train);
      elapsed = number(n.path("elapsed_s"), elapsed);
      tps = number(n.path("tokens_per_s"), tps);
      if (n.path("val_loss").isNumber()) {
        val = n.path("val_loss").asDouble();
        ppl = number(n.path("val_perplexity"), Math.exp(val));
        valStep = n.path("step").asLong();
      }
    }

    // Settings: the run's effective configuration and the newest checkpoint's model (exact, after overrides).
    String preset = null;
    Integer batch = null, averaging = null;
    Double lr = null;
    Path configFile = dir.resolve(RunDirectory.CONFIG);
    if (Files.isRegularFile(configFile)) {
      Config c = hocon(configFile);
      Config p = c.hasPath("pretrain") ? c.getConfig("pretrain") : c;
      preset = p.hasPath("model.preset") ? p.getString("model.preset") : null;
      batch = p.hasPath("batch_size") ? p.getInt("batch_size") : null;
      lr = p.hasPath("learning_rate") ? p.getDouble("learning_rate") : null;
      averaging = p.hasPath("averaging_frequency") ? p.getInt("averaging_frequency") : null;
    }
    Optional<Path> checkpoint = new RunDirectory(dir).latestCheckpoint();
    GptConfig model = null;
    if (checkpoint.isPresent() && Files.isRegularFile(checkpoint.get().resolve(Checkpoint.CONFIG))) {
      try {
        model = GptConfig.fromJson(Files.readString(checkpoint.get().resolve(Checkpoint.CONFIG)));
      } catch (IOException | IllegalArgumentException e) {
        throw new UsageException(checkpoint.get().resolve(Checkpoint.CONFIG) + ": " + e.getMessage());
      }
    }
    MetricsPlots.Plots plots;
    try {
      plots = MetricsPlots.render(metrics).orElse(new MetricsPlots.Plots(null, null));
    } catch (IOException e) {
      throw new UsageException(metrics + ": " + e.getMessage());
    }
    return new Pretrain(dir, Files.exists(dir.resolve(OutputDirectory.SUCCESS)), preset,
        model == null ? null : model.parameterCount(), model == null ? null : model.getLayers(),
        model == null ? null : model.getDModel(), model == null ? null : model.getHeads(),
        model == null ? null : model.getContextLength(), model == null ? null : model.getVocabSize(), batch, lr,
        averaging, steps, tokens, train, val, ppl, valStep, elapsed, tps, checkpoint.orElse(null), plots.loss(),
        plots.perplexity());
  }

  // ---- fine-tuning and few-shot runs -----------------------------------------------------------------------------

  /**
   * The task runs under {@code dir}: the directory itself when it holds metrics.json, otherwise each subdirectory
   * that does (a fine-tuning --output holding several run ids), sorted by name.
   */
  public static List<TaskRun> taskRuns(Path dir) {
    if (Files.isRegularFile(dir.resolve(TASK_METRICS))) return List.of(taskRun(dir));
    List<TaskRun> runs = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.sorted().toList()) {
          if (Files.isRegularFile(p.resolve(TASK_METRICS))) runs.add(taskRun(p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (runs.isEmpty()) throw new UsageException(dir.resolve(TASK_METRICS) + " not found (nor in any subdirectory)");
    return runs;
  }

  public static TaskRun taskRun(Path dir) {
    JsonNode m = json(required(dir, TASK_METRICS));
    JsonNode training = m.path("training");
    Boolean pretrained = bool(training.path("pretrained"));
    if (pretrained == null) pretrained = bool(m.path("pretrained"));
    if (pretrained == null && bool(m.path("from_scratch")) != null) pretrained = !bool(m.path("from_scratch"));
    String kind = text(m, "kind", "mode", "method");
    if (m.path("shots").isNumber()) {
      // A few-shot run (FewShotJob) records its shots; it evaluates a pretrained checkpoint without training it.
      int shots = m.path("shots").asInt();
      kind = kind != null ? kind + ", " + shots + " shots" : shots == 0 ? "zero-shot" : "few-shot, " + shots + " shots";
      if (pretrained == null && m.path("checkpoint").isTextual()) pretrained = true;
    } else if (kind == null && training.isObject()) {
      kind = "fine-tuned";
    }
    String task = text(m, "task");
    Path labels = dir.resolve("labels.json");
    if (task == null && Files.isRegularFile(labels)) task = text(json(labels), "task");
    String id = text(m, "run_id");
    List<Evaluation> evaluations = new ArrayList<>();
    for (String key : EVALUATION_KEYS) {
      JsonNode e = m.path(key);
      if (e.isObject() && (e.has("accuracy") || e.has("macro_f1"))) evaluations.add(evaluation(key, e));
    }
    return new TaskRun(id != null ? id : dir.getFileName().toString(), dir, kind, pretrained, task,
        training.path("steps").isNumber() ? training.path("steps").asLong() : null, number(training.path("seconds"), null),
        evaluations);
  }

  private static Evaluation evaluation(String split, JsonNode e) {
    List<String> labels = new ArrayList<>();
    e.path("labels").forEach(l -> labels.add(l.asText()));
    List<ClassMetrics> perClass = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = e.path("per_class").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      JsonNode v = c.getValue();
      perClass.add(new ClassMetrics(c.getKey(), number(v.path("precision"), null), number(v.path("recall"), null),
          number(v.path("f1"), null), v.path("support").isNumber() ? v.path("support").asLong() : null));
    }
    if (labels.isEmpty()) perClass.forEach(c -> labels.add(c.label()));
    // FinetuneJob writes "confusion_matrix" (rows true, columns predicted); accept "confusion" too, bare or {matrix}.
    JsonNode cm = e.has("confusion_matrix") ? e.path("confusion_matrix") : e.path("confusion");
    if (cm.isObject()) {
      if (labels.isEmpty()) cm.path("labels").forEach(l -> labels.add(l.asText()));
      cm = cm.path("matrix");
    }
    List<List<Long>> confusion = new ArrayList<>();
    for (JsonNode row : cm) {
      List<Long> r = new ArrayList<>();
      row.forEach(v -> r.add(v.asLong()));
      confusion.add(r);
    }
    if (confusion.size() != labels.size()) confusion = List.of();   // a matrix we cannot label is not shown
    return new Evaluation(split, e.path("examples").isNumber() ? e.path("examples").asLong() : null,
        number(e.path("accuracy"), null), number(e.path("macro_f1"), null), number(e.path("pearson"), null),
        number(e.path("spearman"), null), perClass, labels, confusion);
  }

  // ---- small readers -------------------------------------------------------------------------------------------

  private static Path required(Path dir, String file) {
    Path p = dir.resolve(file);
    if (!Files.isRegularFile(p)) throw new UsageException(p + " not found");
    return p;
  }

  private static List<String> lines(Path p) {
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

  private static JsonNode json(String line, Path from) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UsageException(from + ": not readable JSON lines (" + e.getMessage() + ")");
    }
  }

  private static Config hocon(Path p) {
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

  private static Double number(JsonNode n, Double otherwise) {
    return n.isNumber() ? Double.valueOf(n.asDouble()) : otherwise;
  }

  private static Integer intOrNull(JsonNode n) {
    return n.isNumber() ? n.asInt() : null;
  }

  private static Boolean bool(JsonNode n) {
    return n.isBoolean() ? n.asBoolean() : null;
  }

  private static String text(JsonNode n, String... keys) {
    for (String k : keys) if (n.path(k).isTextual()) return n.path(k).asText();
    return null;
  }
}
