package io.github.sparkgpt.jobs.pretrain;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.write.Manifest;
import io.github.sparkgpt.pipeline.write.ShardInfo;
import io.github.sparkgpt.pipeline.write.ShardReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A preprocess output as the pretrain job reads it on the driver: refused when a model cannot train
 * on it, its tokenizer checked against the manifest, and a bounded validation sample.
 */
public final class PretrainData {
  private final String dir;
  private final Manifest manifest;
  private final Configuration hadoop;

  /** {@code dir} qualified (executors resolve paths in their own working directory). */
  public PretrainData(String dir, Manifest manifest, Configuration hadoop) {
    this.dir = dir;
    this.manifest = manifest;
    this.hadoop = hadoop;
  }

  /**
   * Refuses data the model cannot train on: another tokenizer or vocabulary, or sequences shorter
   * than its context.
   */
  public static void checkFits(GptConfig model, Manifest manifest, Checkpoint resumeFrom) {
    if (model.getVocabSize() != manifest.tokenizer.vocabSize) {
      throw new UsageException(
          "the model's vocab_size is "
              + model.getVocabSize()
              + " but the data's tokenizer has "
              + manifest.tokenizer.vocabSize
              + " tokens");
    }
    if (model.getContextLength() > manifest.contextLength) {
      throw new UsageException(
          "the model's context is "
              + model.getContextLength()
              + " but the data was packed for "
              + manifest.contextLength
              + ": preprocess with --context-length "
              + model.getContextLength());
    }
    if (resumeFrom != null && !resumeFrom.tokenizerSha256().equals(manifest.tokenizer.sha256)) {
      throw new UsageException(
          "the checkpoint was trained with tokenizer sha256 "
              + resumeFrom.tokenizerSha256()
              + " but the data's is "
              + manifest.tokenizer.sha256
              + ": resume on the same data");
    }
  }

  /**
   * Data without train sequences is refused, and data without validation sequences unless
   * validation is off (--no-validation): training would otherwise run blind, with no validation
   * loss to judge it by.
   */
  public static void requireSequences(Manifest manifest, PretrainSettings settings) {
    long train = rows(manifest, "train");
    long validation = rows(manifest, "validation");
    if (train == 0) {
      throw new UsageException(
          "the data has no train sequences ("
              + validation
              + " validation sequences of "
              + manifest.sequenceLength
              + " tokens): preprocess more text or a smaller --context-length");
    }
    if (validation == 0 && settings.getValidationSequences() > 0) {
      throw new UsageException(
          "the data has no validation sequences ("
              + train
              + " train sequences, split_mode "
              + manifest.splitMode
              + "): preprocess with a larger --validation-fraction, or pass --no-validation to"
              + " train without validation loss");
    }
  }

  private static long rows(Manifest manifest, String split) {
    Manifest.Split s = manifest.splits.get(split);
    return s == null ? 0 : s.rows;
  }

  /** tokenizer.json of the data, verbatim; its sha256 must be the one the manifest pins. */
  public byte[] readTokenizer() throws IOException {
    Path p = new Path(dir, manifest.tokenizer.file);
    FileSystem fs = p.getFileSystem(hadoop);
    if (!fs.exists(p))
      throw new UsageException(dir + ": " + manifest.tokenizer.file + " not found");
    byte[] bytes;
    try (InputStream in = fs.open(p)) {
      bytes = in.readAllBytes();
    }
    if (!Manifest.sha256(bytes).equals(manifest.tokenizer.sha256)) {
      throw new UsageException(
          p
              + " does not match the sha256 pinned in "
              + Manifest.FILE
              + ": the data directory was modified");
    }
    return bytes;
  }

  /** The first {@code n} validation sequences (a bounded sample, read on the driver). */
  public List<int[]> validationSample(int n, PrintStream log) {
    List<int[]> out = new ArrayList<>();
    Manifest.Split split = manifest.splits.get("validation");
    if (split == null || n == 0) {
      log.println(
          "pretrain: validation is off (--no-validation or validation_sequences = 0): no validation"
              + " loss");
      return out;
    }
    for (ShardInfo shard : split.shards) {
      if (out.size() >= n) break;
      out.addAll(ShardReader.read(new Path(dir, shard.path()), hadoop, n - out.size()));
    }
    if (out.isEmpty())
      log.println("pretrain: " + dir + " has no validation sequences; no validation loss");
    return out;
  }
}
