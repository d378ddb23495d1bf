package io.github.sparkgpt.pipeline.pack;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.Stage;
import io.github.sparkgpt.pipeline.stats.PreprocessStats;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardSettings;
import io.github.sparkgpt.pipeline.write.ShardWriter;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pack} section: documents encoded on the executors (one tokenizer and cache per
 * executor JVM via broadcast), split into train and validation, joined by end-of-text, cut into
 * rows of {@code context_length + 1} tokens and written as shards. The split is by document (seeded
 * hash of the id) unless {@link #windowSplitReason} gives a reason to split by sequence window
 * ({@link WindowSplit}). Tokens left in a last partial row are counted.
 */
public final class PackStage implements Stage {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PackStage.class);
  public static final String NAME = "pack";

  private int contextLength = 128;
  private double validationFraction = 0.02;
  private long windowSplitBelowDocuments = 100;
  private final long seed;

  /**
   * @param seed of the split and shard order (the run's {@code seed})
   */
  public PackStage(long seed) {
    this.seed = seed;
  }

  /** T: tokens a model sees per row; each row holds T + 1 tokens (default 128). */
  public PackStage setContextLength(int v) {
    contextLength = v;
    return this;
  }

  /**
   * Share of documents (or of windows, when splitting by window) held out for validation (default
   * 0.02).
   */
  public PackStage setValidationFraction(double v) {
    validationFraction = v;
    return this;
  }

  /**
   * With fewer kept documents than this, validation is drawn as whole windows (default 100; 0 = by
   * document).
   */
  public PackStage setWindowSplitBelowDocuments(long v) {
    windowSplitBelowDocuments = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validate() {
    if (contextLength < 1)
      throw new IllegalArgumentException("pack.context_length must be >= 1, got " + contextLength);
    new SplitAssigner(validationFraction, seed); // checks validation_fraction
    if (windowSplitBelowDocuments < 0) {
      throw new IllegalArgumentException(
          "pack.window_split_below_documents must be >= 0, got " + windowSplitBelowDocuments);
    }
  }

  public int contextLength() {
    return contextLength;
  }

  public double validationFraction() {
    return validationFraction;
  }

  /** The shards written and how the split was drawn (null reason: by document). */
  public record Packed(
      List<ShardInfo> train, List<ShardInfo> validation, String windowSplitReason) {}

  /**
   * Encode, split, pack and write {@code docs} under {@code tmp}; token and shard counts go to
   * {@code stats}.
   */
  public Packed run(
      SparkSession spark,
      JavaRDD<Document> docs,
      BpeTokenizer tokenizer,
      int endOfTextId,
      ShardSettings shards,
      Path tmp,
      PreprocessStats stats) {
    validate();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<BpeTokenizer> shared = jsc.broadcast(tokenizer);
    Packing packing =
        new Packing(contextLength, endOfTextId, new SplitAssigner(validationFraction, seed), seed);
    JavaRDD<EncodedDocument> encoded = packing.encode(docs, text -> shared.value().encode(text));
    Packing.SplitTotals[] totals = Packing.totals(encoded);
    stats.setTokenTotals(totals[0], totals[1]);
    LOG.info("encoded {} train and {} validation tokens", totals[0].tokens, totals[1].tokens);

    // At least one train shard per core, so packing and writing run in parallel; more when shards
    // would exceed
    // the target size.
    int minTrainShards = shards.minTrainShards(jsc.defaultParallelism());
    String windowReason = windowSplitReason(totals);
    Packed packed =
        windowReason == null
            ? byDocument(spark, packing, encoded, totals, minTrainShards, shards.shardBytes(), tmp)
            : byWindow(
                spark,
                encoded,
                totals,
                windowReason,
                minTrainShards,
                shards.shardBytes(),
                tmp,
                stats,
                endOfTextId);
    stats.setShards(packed.train(), packed.validation(), contextLength + 1);
    LOG.info(
        "wrote {} train and {} validation shards",
        packed.train().size(),
        packed.validation().size());
    warnIfEmpty(stats);
    encoded.unpersist(false);
    shared.destroy();
    return packed;
  }

  /** An empty split is said on the console (the summary), in summary.txt and in stats.json. */
  private void warnIfEmpty(PreprocessStats stats) {
    long trainRows = stats.rows(false);
    long validationRows = stats.rows(true);
    String all =
        " ("
            + (trainRows + validationRows)
            + " sequences of "
            + (contextLength + 1)
            + " tokens in all)";
    if (trainRows == 0) {
      stats.addWarning(
          "the train split is empty"
              + all
              + ": pretrain cannot train on this output; add text or"
              + " lower --context-length");
    }
    if (validationRows == 0) {
      stats.addWarning(
          "the validation split is empty"
              + (validationFraction > 0 ? all : " (pack.validation_fraction = 0)")
              + ": pretrain refuses this output unless given --no-validation");
    }
    stats.warnings().forEach(w -> LOG.warn("{}", w));
  }

  /** Why the split is by sequence window, or null for a split by document. */
  String windowSplitReason(Packing.SplitTotals[] totals) {
    int seqLen = contextLength + 1;
    long documents = totals[0].documents + totals[1].documents;
    if (documents < windowSplitBelowDocuments) {
      return documents
          + " documents < pack.window_split_below_documents = "
          + windowSplitBelowDocuments;
    }
    if (validationFraction > 0 && totals[1].streamTokens() < seqLen) {
      return "split by document, validation would hold no full sequence";
    }
    if (validationFraction > 0 && totals[0].streamTokens() < seqLen) {
      return "split by document, train would hold no full sequence";
    }
    return null;
  }

  private Packed byDocument(
      SparkSession spark,
      Packing packing,
      JavaRDD<EncodedDocument> encoded,
      Packing.SplitTotals[] totals,
      int minTrainShards,
      long shardBytes,
      Path tmp) {
    int seqLen = contextLength + 1;
    List<ShardInfo> train =
        ShardWriter.write(
            spark,
            packing.pack(
                encoded,
                false,
                Math.max(minTrainShards, Packing.shardCount(totals[0].streamTokens(), shardBytes))),
            tmp,
            "train",
            seqLen);
    List<ShardInfo> validation =
        totals[1].documents == 0
            ? List.of()
            : ShardWriter.write(
                spark,
                packing.pack(
                    encoded, true, Packing.shardCount(totals[1].streamTokens(), shardBytes)),
                tmp,
                "validation",
                seqLen);
    return new Packed(train, validation, null);
  }

  private Packed byWindow(
      SparkSession spark,
      JavaRDD<EncodedDocument> encoded,
      Packing.SplitTotals[] totals,
      String reason,
      int minTrainShards,
      long shardBytes,
      Path tmp,
      PreprocessStats stats,
      int endOfTextId) {
    LOG.info("splitting by sequence window: {}", reason);
    int seqLen = contextLength + 1;
    WindowSplit ws = new WindowSplit(contextLength, endOfTextId, seed);
    long streamTokens = totals[0].streamTokens() + totals[1].streamTokens();
    JavaRDD<WindowSplit.Window> windows =
        ws.windows(encoded, Packing.shardCount(streamTokens, shardBytes));
    long all = windows.count();
    long held = WindowSplit.validationWindows(all, validationFraction);
    Long threshold = WindowSplit.threshold(windows, held);
    List<ShardInfo> train =
        ShardWriter.write(
            spark,
            WindowSplit.side(
                windows,
                threshold,
                false,
                Math.max(minTrainShards, Packing.shardCount((all - held) * seqLen, shardBytes))),
            tmp,
            "train",
            seqLen);
    List<ShardInfo> validation =
        held == 0
            ? List.of()
            : ShardWriter.write(
                spark,
                WindowSplit.side(
                    windows, threshold, true, Packing.shardCount(held * seqLen, shardBytes)),
                tmp,
                "validation",
                seqLen);
    stats.setWindowSplit(
        reason,
        ws.count(windows, threshold, false),
        ws.count(windows, threshold, true),
        streamTokens - all * seqLen);
    windows.unpersist(false);
    return new Packed(train, validation, reason);
  }
}
