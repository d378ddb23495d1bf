package io.github.sparkgpt.pipeline;

import com.typesafe.config.Config;
import io.github.sparkgpt.pipeline.dedup.DedupResult;
import io.github.sparkgpt.pipeline.dedup.DedupStage;
import io.github.sparkgpt.pipeline.dedup.DedupStats;
import io.github.sparkgpt.pipeline.dedup.ExactDedup;
import io.github.sparkgpt.pipeline.dedup.MinHashDedup;
import io.github.sparkgpt.pipeline.filter.QualityStages;
import io.github.sparkgpt.pipeline.filter.quality.C4QualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.FineWebQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherQualityFilter;
import io.github.sparkgpt.pipeline.filter.quality.GopherRepetitionFilter;
import io.github.sparkgpt.pipeline.filter.language.LanguageFilter;
import io.github.sparkgpt.pipeline.filter.pii.PiiRedactor;
import io.github.sparkgpt.pipeline.normalise.TextNormalizer;
import io.github.sparkgpt.pipeline.pack.EncodedDocument;
import io.github.sparkgpt.pipeline.pack.Packing;
import io.github.sparkgpt.pipeline.pack.SplitAssigner;
import io.github.sparkgpt.pipeline.pack.WindowSplit;
import io.github.sparkgpt.pipeline.read.CorpusReader;
import io.github.sparkgpt.pipeline.read.ReadOptions;
import io.github.sparkgpt.pipeline.read.ReadPlan;
import io.github.sparkgpt.pipeline.stats.PreprocessStats;
import io.github.sparkgpt.pipeline.stats.StageStats;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import org.apache.spark.broadcast.Broadcast;
import io.github.sparkgpt.pipeline.write.JsonFiles;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import io.github.sparkgpt.pipeline.write.ParquetPartitionWriter;
import io.github.sparkgpt.pipeline.write.RunLease;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preprocess pipeline: read -> normalise -> language -> quality -> PII -> exact dedup -> near dedup ->
 * tokenizer -> pack -> write. Built from the {@code preprocess} configuration section and validated in the
 * constructor, so configuration mistakes surface before Spark starts.
 */
public final class Preprocessor {
  private static final Logger LOG = LoggerFactory.getLogger(Preprocessor.class);

  /** Schema of {@code rejected/}: every document the pipeline did not keep, with where and why. */
  public static final String REJECTED_SCHEMA = "message rejected { required binary id (STRING);"
      + " optional binary source (STRING); required binary stage (STRING); required binary reason (STRING);"
      + " optional binary detail (STRING); required binary text (STRING); }";

  public static final String END_OF_TEXT = "<|endoftext|>";

  private static final ParquetPartitionWriter<RejectedDocument> REJECTED_WRITER =
      new ParquetPartitionWriter<>(REJECTED_SCHEMA, (r, g) -> {
        g.append("id", r.id());
        if (r.source() != null) g.append("source", r.source());
        g.append("stage", r.stage()).append("reason", r.reason());
        if (r.detail() != null) g.append("detail", r.detail());
        g.append("text", r.text());
      });

  private final Config config;
  private final CorpusReader reader;
  private final DocumentChain chain;
  private final List<DedupStage> dedupStages = new ArrayList<>();
  private final BpeTrainer tokenizerTrainer;
  private final String tokenizerPath;
  private final int contextLength;
  private final SplitAssigner split;
  private final double validationFraction;
  private final long windowSplitBelowDocuments;
  private final long shardBytes;
  private final int minShards;
  private final long seed;
  private String effectiveConfig = "";

  public Preprocessor(Config config) {
    this.config = config;
    this.seed = config.getLong("seed");
    this.reader = new CorpusReader(ConfigBinder.bind(ReadOptions.builder(), config.getConfig("read"), "read").build());
    List<DocumentStage> stages = new ArrayList<>();
    addStage(stages, "normalise", TextNormalizer::new);
    addStage(stages, "language", LanguageFilter::new);
    addDedup("dedup.exact", new ExactDedup());
    MinHashDedup minhash = addDedup("dedup.minhash", new MinHashDedup());
    if (minhash != null && minhash.signatureBeforeQuality()) stages.add(minhash.signatureStage());
    QualityStages.checkLanguageBlocks(config.getConfig("quality"));
    addQualityStage(stages, "gopher_quality", GopherQualityFilter::new);
    addQualityStage(stages, "gopher_repetition", GopherRepetitionFilter::new);
    addQualityStage(stages, "c4", C4QualityFilter::new);
    addQualityStage(stages, "fineweb", FineWebQualityFilter::new);
    addStage(stages, "pii", PiiRedactor::new);
    this.chain = new DocumentChain(stages, config.getDouble("quality.flag_removed_share"));
    this.tokenizerPath = config.getString("tokenizer.path");
    this.tokenizerTrainer = ConfigBinder.bind(new BpeTrainer(), config.getConfig("tokenizer"), "tokenizer", "path");
    tokenizerTrainer.validate();
    this.contextLength = config.getInt("pack.context_length");
    if (contextLength < 1) throw new IllegalArgumentException("pack.context_length must be >= 1, got " + contextLength);
    this.validationFraction = config.getDouble("pack.validation_fraction");
    this.split = new SplitAssigner(validationFraction, seed);
    this.windowSplitBelowDocuments = config.getLong("pack.window_split_below_documents");
    if (windowSplitBelowDocuments < 0) {
      throw new IllegalArgumentException("pack.window_split_below_documents must be >= 0, got " + windowSplitBelowDocuments);
    }
    double shardMb = config.getDouble("write.shard_size_mb");
    if (!(shardMb > 0)) throw new IllegalArgumentException("write.shard_size_mb must be > 0, got " + shardMb);
    this.shardBytes = (long) (shardMb * 1024 * 1024);
    this.minShards = config.getInt("write.min_train_shards");
    if (minShards < 0) throw new IllegalArgumentException("write.min_train_shards must be >= 0, got " + minShards);
  }

  private static byte[] readBytes(String path, org.apache.hadoop.conf.Configuration conf) {
    Path p = new Path(path);
    try (java.io.InputStream in = p.getFileSystem(conf).open(p)) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException("tokenizer file not found: " + path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read tokenizer " + path + ": " + e.getMessage(), e);
    }
  }

  private boolean enabled(String path) {
    return config.getBoolean(path + ".enabled");
  }

  private <T extends DedupStage> T addDedup(String path, T stage) {
    if (!enabled(path)) return null;
    ConfigBinder.bind(stage, config.getConfig(path), path, "enabled").validate();
    dedupStages.add(stage);
    return stage;
  }

  private void addStage(List<DocumentStage> stages, String path, Supplier<? extends DocumentStage> factory) {
    if (!enabled(path)) return;
    DocumentStage stage = ConfigBinder.bind(factory.get(), config.getConfig(path), path, "enabled");
    stage.validate();
    stages.add(stage);
  }

  private void addQualityStage(List<DocumentStage> stages, String family, Supplier<? extends DocumentStage> factory) {
    DocumentStage stage = QualityStages.build(config.getConfig("quality"), family, factory);
    if (stage != null) stages.add(stage);
  }

  /** Dedup statistics in the per-stage form; bytes out = bytes in minus the rejected documents' bytes. */
  private static StageStats dedupStageStats(DedupResult r, long bytesIn) {
    long bytesRemoved = r.rejected().map(x -> Utf8.encodedLength(x.text())).fold(0L, Long::sum);
    DedupStats d = r.stats();
    String reason = d.stage().equals("exact_dedup") ? "exact_duplicate" : "near_duplicate";
    StageStats s = new StageStats(d.stage())
        .set(d.documentsIn(), d.documentsKept(), bytesIn, bytesIn - bytesRemoved)
        .addDrops(reason, d.documentsRemoved());
    s.addCounter("duplicate_groups", d.duplicateGroups());
    s.addCounters(d.extra());
    return s;
  }

  /** Why the split is by sequence window, or null for a split by document (see conf/preprocess.conf, pack). */
  private String windowSplitReason(Packing.SplitTotals[] totals, int seqLen) {
    long documents = totals[0].documents + totals[1].documents;
    if (documents < windowSplitBelowDocuments) {
      return documents + " documents < pack.window_split_below_documents = " + windowSplitBelowDocuments;
    }
    if (validationFraction > 0 && totals[1].streamTokens() < seqLen) {
      return "split by document, validation would hold no full sequence";
    }
    if (validationFraction > 0 && totals[0].streamTokens() < seqLen) {
      return "split by document, train would hold no full sequence";
    }
    return null;
  }

  /** An empty split is said on the console (the summary), in summary.txt and in stats.json. */
  private void warnIfEmpty(PreprocessStats stats) {
    long trainRows = stats.rows(false);
    long validationRows = stats.rows(true);
    String all = " (" + (trainRows + validationRows) + " sequences of " + (contextLength + 1) + " tokens in all)";
    if (trainRows == 0) {
      stats.addWarning("the train split is empty" + all + ": pretrain cannot train on this output; add text or"
          + " lower --context-length");
    }
    if (validationRows == 0) {
      stats.addWarning("the validation split is empty" + (validationFraction > 0 ? all
          : " (pack.validation_fraction = 0)") + ": pretrain refuses this output unless given --no-validation");
    }
    stats.warnings().forEach(w -> LOG.warn("{}", w));
  }

  private void writeRejected(JavaSparkContext jsc, List<JavaRDD<RejectedDocument>> rejected, Path tmp) {
    JavaRDD<RejectedDocument> allRejected = rejected.get(0);
    for (int i = 1; i < rejected.size(); i++) allRejected = allRejected.union(rejected.get(i));
    REJECTED_WRITER.write(allRejected, new Path(tmp, "rejected"), "part", jsc.hadoopConfiguration());
  }

  private void writeReports(OutputDirectory out, PreprocessStats stats) {
    Path tmp = out.temporary();
    JsonFiles.writeJson(out.fileSystem(), new Path(tmp, "stats.json"), stats.toJson());
    JsonFiles.writeText(out.fileSystem(), new Path(tmp, "summary.txt"), stats.summary(out.target().toString()));
    JsonFiles.writeText(out.fileSystem(), new Path(tmp, "config.conf"), effectiveConfig);
  }

  /** A run that kept no document: its reports are written, then it fails. */
  private static final class NothingKept extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NothingKept(String message) {
      super(message);
    }
  }

  /** The configuration text saved as {@code config.conf} in the output. */
  public Preprocessor setEffectiveConfig(String hocon) {
    this.effectiveConfig = hocon;
    return this;
  }

  public List<String> stageNames() {
    List<String> names = new ArrayList<>(chain.stageIndex().keySet());
    dedupStages.forEach(d -> names.add(d.name()));
    return names;
  }

  /** What a run produced: its statistics and the manifest written. */
  public record Result(PreprocessStats stats, Manifest manifest, String output) {
    public String summary() {
      return stats.summary(output);
    }
  }

  public Result run(SparkSession spark, List<String> inputs, String output, boolean overwrite) {
    return run(spark, inputs, output, overwrite, RunLease.Policy.DEFAULT);
  }

  /** Runs into {@code output}, refusing one that overlaps an input, under a lease taken with {@code lease}. */
  public Result run(SparkSession spark, List<String> inputs, String output, boolean overwrite, RunLease.Policy lease) {
    long start = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ReadPlan plan = reader.plan(jsc.hadoopConfiguration(), inputs); // fails fast on a missing input
    plan.skipped().forEach(why -> LOG.warn("input listing skipped a directory: {}", why));
    if (!tokenizerPath.isEmpty()) readBytes(tokenizerPath, jsc.hadoopConfiguration()); // and on a missing tokenizer
    OutputDirectory out = OutputDirectory.prepare(output, inputs, overwrite, "preprocess", lease,
        jsc.hadoopConfiguration());
    if (out.replacesExisting()) LOG.warn("replacing the existing output {}", out.target());
    try {
      Result result = runInto(spark, jsc, inputs, plan, out, start);
      out.commit();
      return result;
    } catch (NothingKept e) {
      // Kept for inspection, but never complete: no manifest.json, no _SUCCESS (a complete run there stays).
      org.apache.hadoop.fs.Path where = out.commitIncomplete();
      throw new IllegalStateException(e.getMessage() + "; stats.json, summary.txt and rejected/ are in " + where
          + " (no manifest, not complete)");
    } catch (Throwable e) {
      // Spark throws SparkException, a checked exception Java does not see: catch everything, clean up, rethrow.
      out.abort();
      throw e;
    }
  }

  private Result runInto(SparkSession spark, JavaSparkContext jsc, List<String> inputs, ReadPlan plan,
                         OutputDirectory out,
                         long start) {
    Path tmp = out.temporary();
    PreprocessStats stats = new PreprocessStats();
    stats.setFlagRemovedShare(config.getDouble("quality.flag_removed_share"));

    // 1-5: read and per-document stages, in one pass.
    LOG.info("reading {} files ({} MB)", plan.files().size(), plan.totalBytes() / 1_000_000);
    JavaRDD<StageOutput> raw = reader.read(jsc, plan);
    DocumentChain.Result chained = chain.run(raw);
    chained.stats().forEach(stats::addStage);
    stats.first().addCounters(plan.counters()); // directories the listing skipped (symbolic link loops)
    stats.setInputBytes(plan.totalBytes());
    List<JavaRDD<RejectedDocument>> rejected = new ArrayList<>();
    rejected.add(chained.rejected());
    JavaRDD<Document> docs = chained.kept();
    LOG.info("per-document stages kept {} of {} documents", stats.last().docsOut(), stats.first().docsIn());

    // 6: exact, then near-duplicate removal.
    List<DedupResult> dedups = new ArrayList<>();
    for (DedupStage stage : dedupStages) {
      DedupResult r = stage.run(docs);
      LOG.info("{} done", stage.name());
      dedups.add(r);
      stats.addStage(dedupStageStats(r, stats.last().bytesOut()));
      if (stage instanceof MinHashDedup) stats.setDuplicateClusters(r.stats().groupSizeHistogram());
      rejected.add(r.rejected());
      docs = r.kept();
    }
    docs = docs.persist(StorageLevel.MEMORY_AND_DISK_SER());
    LOG.info("after deduplication {} documents", stats.last().docsOut());
    if (stats.last().docsOut() == 0) {
      writeRejected(jsc, rejected, tmp);
      stats.setElapsedSeconds((System.nanoTime() - start) / 1e9);
      stats.addWarning("no document was kept: there is no tokenizer, no shard and no manifest");
      writeReports(out, stats);
      throw new NothingKept("kept 0 of " + stats.first().docsIn() + " documents; top drop reasons: "
          + stats.topDropReasons(3));
    }

    // 7: tokenizer, trained on the cleaned corpus unless one is given.
    BpeTokenizer tokenizer;
    byte[] tokenizerFile;
    if (tokenizerPath.isEmpty()) {
      LOG.info("training a byte-level BPE tokenizer (vocab {})", tokenizerTrainer.getVocabSize());
      tokenizer = tokenizerTrainer.train(docs.map(Document::text));
      tokenizerFile = HfTokenizerJson.toJson(tokenizer, true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } else {
      // Copied byte for byte, so its sha256 matches the checkpoint or the file it came from.
      tokenizerFile = readBytes(tokenizerPath, jsc.hadoopConfiguration());
      tokenizer = HfTokenizerJson.fromJson(new String(tokenizerFile, java.nio.charset.StandardCharsets.UTF_8), tokenizerPath);
    }
    if (!tokenizer.hasSpecialToken(END_OF_TEXT)) {
      throw new IllegalArgumentException("tokenizer " + (tokenizerPath.isEmpty() ? "config" : tokenizerPath)
          + " has no " + END_OF_TEXT + " special token; the packer needs it between documents");
    }
    // The manifest pins the exact bytes of tokenizer.json; checkpoints carry the same file and hash.
    String tokenizerSha = Manifest.sha256(tokenizerFile);
    JsonFiles.writeBytes(out.fileSystem(), new Path(tmp, Manifest.TOKENIZER_FILE), tokenizerFile);
    int eot = tokenizer.specialTokenId(END_OF_TEXT);
    LOG.info("tokenizer: {} tokens, tokenizer.json sha256 {}", tokenizer.vocabSize(), tokenizerSha);

    // 8: encode on the executors (one tokenizer and cache per executor JVM via broadcast), split by document
    // hash, pack into sequences of context + 1 tokens.
    Broadcast<BpeTokenizer> shared = jsc.broadcast(tokenizer);
    Packing packing = new Packing(contextLength, eot, split, seed);
    JavaRDD<EncodedDocument> encoded = packing.encode(docs, text -> shared.value().encode(text));
    Packing.SplitTotals[] totals = Packing.totals(encoded);
    stats.setTokenTotals(totals[0], totals[1]);
    LOG.info("encoded {} train and {} validation tokens", totals[0].tokens, totals[1].tokens);

    // 9: write shards, rejected documents, statistics, manifest.
    int seqLen = contextLength + 1;
    // At least one shard per core for train, so packing and writing run in parallel; more when shards would
    // exceed the target size.
    int minTrainShards = minShards > 0 ? minShards : jsc.defaultParallelism();
    String windowReason = windowSplitReason(totals, seqLen);
    List<ShardInfo> train;
    List<ShardInfo> validation;
    if (windowReason == null) {
      train = ShardWriter.write(spark, packing.pack(encoded, false,
          Math.max(minTrainShards, Packing.shardCount(totals[0].streamTokens(), shardBytes))), tmp, "train", seqLen);
      validation = totals[1].documents == 0 ? List.of() : ShardWriter.write(spark,
          packing.pack(encoded, true, Packing.shardCount(totals[1].streamTokens(), shardBytes)), tmp, "validation", seqLen);
    } else {
      LOG.info("splitting by sequence window: {}", windowReason);
      WindowSplit ws = new WindowSplit(contextLength, eot, seed);
      long streamTokens = totals[0].streamTokens() + totals[1].streamTokens();
      JavaRDD<WindowSplit.Window> windows = ws.windows(encoded, Packing.shardCount(streamTokens, shardBytes));
      long all = windows.count();
      long held = WindowSplit.validationWindows(all, validationFraction);
      Long threshold = WindowSplit.threshold(windows, held);
      train = ShardWriter.write(spark, WindowSplit.side(windows, threshold, false,
          Math.max(minTrainShards, Packing.shardCount((all - held) * seqLen, shardBytes))), tmp, "train", seqLen);
      validation = held == 0 ? List.of() : ShardWriter.write(spark,
          WindowSplit.side(windows, threshold, true, Packing.shardCount(held * seqLen, shardBytes)), tmp, "validation", seqLen);
      stats.setWindowSplit(windowReason, ws.count(windows, threshold, false), ws.count(windows, threshold, true),
          streamTokens - all * seqLen);
      windows.unpersist(false);
    }
    stats.setShards(train, validation, seqLen);
    LOG.info("wrote {} train and {} validation shards", train.size(), validation.size());
    warnIfEmpty(stats);

    writeRejected(jsc, rejected, tmp);
    LOG.info("wrote rejected documents");
    stats.setElapsedSeconds((System.nanoTime() - start) / 1e9);
    Manifest manifest = Manifest.create(inputs, train, validation, contextLength, tokenizer.vocabSize(), eot,
        tokenizerSha, effectiveConfig, seed, spark.version());
    manifest.splitMode = windowReason == null ? Manifest.SPLIT_BY_DOCUMENT : Manifest.SPLIT_BY_WINDOW;
    JsonFiles.writeJson(out.fileSystem(), new Path(tmp, Manifest.FILE), manifest);
    writeReports(out, stats);

    encoded.unpersist(false);
    shared.destroy();
    docs.unpersist(false);
    dedups.forEach(DedupResult::unpersist);
    chained.unpersist();
    return new Result(stats, manifest, out.target().toString());
  }
}
