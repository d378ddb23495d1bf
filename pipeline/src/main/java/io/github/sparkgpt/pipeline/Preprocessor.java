package io.github.sparkgpt.pipeline;

import com.typesafe.config.Config;
import io.github.sparkgpt.pipeline.pack.PackStage;
import io.github.sparkgpt.pipeline.read.CorpusReader;
import io.github.sparkgpt.pipeline.read.ReadOptions;
import io.github.sparkgpt.pipeline.read.ReadPlan;
import io.github.sparkgpt.pipeline.stats.PreprocessStats;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import io.github.sparkgpt.pipeline.tokenizer.TokenizerStage;
import io.github.sparkgpt.pipeline.write.JsonFiles;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import io.github.sparkgpt.pipeline.write.ParquetPartitionWriter;
import io.github.sparkgpt.pipeline.write.RunLease;
import io.github.sparkgpt.pipeline.write.ShardSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preprocess pipeline: read -> normalise -> language -> quality -> PII -> exact dedup -> near
 * dedup -> tokenizer -> pack -> write. The stages are built from the {@code preprocess}
 * configuration section and validated in the constructor, so configuration mistakes surface before
 * Spark starts; this class runs them in order and writes what they report.
 */
public final class Preprocessor {
  private static final Logger LOG = LoggerFactory.getLogger(Preprocessor.class);

  /** Schema of {@code rejected/}: every document the pipeline did not keep, with where and why. */
  public static final String REJECTED_SCHEMA =
      "message rejected { required binary id (STRING); optional binary source (STRING); required"
          + " binary stage (STRING); required binary reason (STRING); optional binary detail"
          + " (STRING); required binary text (STRING); }";

  private static final ParquetPartitionWriter<RejectedDocument> REJECTED_WRITER =
      new ParquetPartitionWriter<>(
          REJECTED_SCHEMA,
          (r, g) -> {
            g.append("id", r.id());
            if (r.source() != null) g.append("source", r.source());
            g.append("stage", r.stage()).append("reason", r.reason());
            if (r.detail() != null) g.append("detail", r.detail());
            g.append("text", r.text());
          });

  private final Config config;
  private final CorpusReader reader;
  private final DocumentChain chain;
  private final List<CorpusStage> corpusStages;
  private final TokenizerStage tokenizer;
  private final PackStage pack;
  private final ShardSettings shards;
  private final long seed;
  private String effectiveConfig = "";

  public Preprocessor(Config config) {
    this.config = config;
    this.seed = config.getLong("seed");
    this.reader =
        new CorpusReader(
            ConfigBinder.bind(ReadOptions.builder(), config.getConfig("read"), "read").build());
    StagePlan plan = new StagePlan(config);
    this.chain =
        new DocumentChain(plan.documentStages(), config.getDouble("quality.flag_removed_share"));
    this.corpusStages = plan.corpusStages();
    Config tok = config.getConfig("tokenizer");
    this.tokenizer =
        new TokenizerStage(ConfigBinder.bind(new BpeTrainer(), tok, "tokenizer", "path"))
            .setPath(tok.getString("path"));
    tokenizer.validate();
    this.pack = ConfigBinder.bind(new PackStage(seed), config.getConfig("pack"), "pack");
    pack.validate();
    this.shards = ConfigBinder.bind(new ShardSettings(), config.getConfig("write"), "write");
    shards.validate();
  }

  private void writeRejected(
      JavaSparkContext jsc, List<JavaRDD<RejectedDocument>> rejected, Path tmp) {
    JavaRDD<RejectedDocument> allRejected = rejected.get(0);
    for (int i = 1; i < rejected.size(); i++) allRejected = allRejected.union(rejected.get(i));
    REJECTED_WRITER.write(
        allRejected, new Path(tmp, "rejected"), "part", jsc.hadoopConfiguration());
  }

  private void writeReports(OutputDirectory out, PreprocessStats stats) {
    Path tmp = out.temporary();
    JsonFiles.writeJson(out.fileSystem(), new Path(tmp, "stats.json"), stats.toJson());
    JsonFiles.writeText(
        out.fileSystem(), new Path(tmp, "summary.txt"), stats.summary(out.target().toString()));
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
    corpusStages.forEach(d -> names.add(d.name()));
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

  /**
   * Runs into {@code output}, refusing one that overlaps an input, under a lease taken with {@code
   * lease}.
   */
  public Result run(
      SparkSession spark,
      List<String> inputs,
      String output,
      boolean overwrite,
      RunLease.Policy lease) {
    long start = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ReadPlan plan = reader.plan(jsc.hadoopConfiguration(), inputs); // fails fast on a missing input
    plan.skipped().forEach(why -> LOG.warn("input listing skipped a directory: {}", why));
    tokenizer.checkReadable(jsc.hadoopConfiguration()); // and on a missing tokenizer file
    OutputDirectory out =
        OutputDirectory.prepare(
            output, inputs, overwrite, "preprocess", lease, jsc.hadoopConfiguration());
    if (out.replacesExisting()) LOG.warn("replacing the existing output {}", out.target());
    try {
      Result result = runInto(spark, jsc, inputs, plan, out, start);
      out.commit();
      return result;
    } catch (NothingKept e) {
      // Kept for inspection, but never complete: no manifest.json, no _SUCCESS (a complete run
      // there stays).
      org.apache.hadoop.fs.Path where = out.commitIncomplete();
      throw new IllegalStateException(
          e.getMessage()
              + "; stats.json, summary.txt and rejected/ are in "
              + where
              + " (no manifest, not complete)");
    } catch (Throwable e) {
      // Spark throws SparkException, a checked exception Java does not see: catch everything, clean
      // up, rethrow.
      out.abort();
      throw e;
    }
  }

  private Result runInto(
      SparkSession spark,
      JavaSparkContext jsc,
      List<String> inputs,
      ReadPlan plan,
      OutputDirectory out,
      long start) {
    Path tmp = out.temporary();
    PreprocessStats stats = new PreprocessStats();
    stats.setFlagRemovedShare(config.getDouble("quality.flag_removed_share"));
    List<JavaRDD<RejectedDocument>> rejected = new ArrayList<>();
    List<Runnable> release = new ArrayList<>();
    JavaRDD<Document> docs = filter(jsc, plan, stats, rejected, release);
    if (stats.last().docsOut() == 0) {
      writeRejected(jsc, rejected, tmp);
      stats.setElapsedSeconds((System.nanoTime() - start) / 1e9);
      stats.addWarning("no document was kept: there is no tokenizer, no shard and no manifest");
      writeReports(out, stats);
      throw new NothingKept(
          "kept 0 of "
              + stats.first().docsIn()
              + " documents; top drop reasons: "
              + stats.topDropReasons(3));
    }

    TokenizerStage.Output tok = tokenizer.run(docs, jsc.hadoopConfiguration());
    // The manifest pins the exact bytes of tokenizer.json; checkpoints carry the same file and
    // hash.
    String tokenizerSha = Manifest.sha256(tok.file());
    JsonFiles.writeBytes(out.fileSystem(), new Path(tmp, Manifest.TOKENIZER_FILE), tok.file());
    LOG.info(
        "tokenizer: {} tokens, tokenizer.json sha256 {}",
        tok.tokenizer().vocabSize(),
        tokenizerSha);

    PackStage.Packed packed =
        pack.run(spark, docs, tok.tokenizer(), tok.endOfTextId(), shards, tmp, stats);
    writeRejected(jsc, rejected, tmp);
    LOG.info("wrote rejected documents");
    stats.setElapsedSeconds((System.nanoTime() - start) / 1e9);
    Manifest manifest =
        Manifest.create(
            inputs,
            packed.train(),
            packed.validation(),
            pack.contextLength(),
            tok.tokenizer().vocabSize(),
            tok.endOfTextId(),
            tokenizerSha,
            effectiveConfig,
            seed,
            spark.version());
    manifest.splitMode =
        packed.windowSplitReason() == null ? Manifest.SPLIT_BY_DOCUMENT : Manifest.SPLIT_BY_WINDOW;
    JsonFiles.writeJson(out.fileSystem(), new Path(tmp, Manifest.FILE), manifest);
    writeReports(out, stats);
    docs.unpersist(false);
    release.forEach(Runnable::run);
    return new Result(stats, manifest, out.target().toString());
  }

  /**
   * Read, run the per-document chain, then each corpus stage; every stage's statistics go to {@code
   * stats} and its rejections to {@code rejected}. Returns the kept documents, persisted; {@code
   * release} frees the caches.
   */
  private JavaRDD<Document> filter(
      JavaSparkContext jsc,
      ReadPlan plan,
      PreprocessStats stats,
      List<JavaRDD<RejectedDocument>> rejected,
      List<Runnable> release) {
    LOG.info("reading {} files ({} MB)", plan.files().size(), plan.totalBytes() / 1_000_000);
    DocumentChain.Result chained = chain.run(reader.read(jsc, plan));
    release.add(chained::unpersist);
    chained.stats().forEach(stats::addStage);
    stats
        .first()
        .addCounters(plan.counters()); // directories the listing skipped (symbolic link loops)
    stats.setInputBytes(plan.totalBytes());
    rejected.add(chained.rejected());
    JavaRDD<Document> docs = chained.kept();
    LOG.info(
        "per-document stages kept {} of {} documents",
        stats.last().docsOut(),
        stats.first().docsIn());
    for (CorpusStage stage : corpusStages) {
      CorpusResult r = CorpusStage.runDeclared(stage, docs);
      LOG.info("{} done", stage.name());
      release.add(r::unpersist);
      stats.addStage(r.stats());
      rejected.add(r.rejected());
      docs = r.kept();
    }
    docs = docs.persist(StorageLevel.MEMORY_AND_DISK_SER());
    LOG.info("after deduplication {} documents", stats.last().docsOut());
    return docs;
  }
}
