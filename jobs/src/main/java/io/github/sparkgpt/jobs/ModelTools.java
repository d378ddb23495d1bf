package io.github.sparkgpt.jobs;

import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.StoragePath;
import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.HfTokenizerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the model commands share: loading a checkpoint with a one-line error, and its tokenizer. */
final class ModelTools {
  private ModelTools() {}

  static Checkpoint load(Path dir) {
    if (!Files.isDirectory(dir))
      throw new UsageException("--checkpoint " + dir + ": no such directory");
    try {
      return Checkpoint.load(dir);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * A --checkpoint given as a path or URI: a cluster checkpoint must be marked complete (see
   * Completeness) and is copied to a temporary directory, loaded (into memory) and the copy
   * removed.
   */
  static Checkpoint load(String dir) {
    StoragePath where = StoragePath.of("--checkpoint", dir);
    if (where.isLocal()) return load(where.local());
    try (Storage storage = new Storage()) {
      Path local = storage.checkpoint("--checkpoint", where);
      try {
        return load(local);
      } catch (UsageException e) {
        throw new UsageException(e.getMessage().replace(local.toString(), dir));
      }
    }
  }

  /**
   * A pretrained language model: a fine-tuned (task) checkpoint is refused with a one-line usage
   * error.
   */
  static Checkpoint loadLanguageModel(String dir) {
    Checkpoint cp = load(dir);
    if (!cp.kind().isLanguageModel()) {
      throw new UsageException(
          "--checkpoint "
              + dir
              + " is a fine-tuned model: pass a pretrained (language model) checkpoint");
    }
    return cp;
  }

  static BpeTokenizer tokenizer(Checkpoint checkpoint, String dir) {
    return HfTokenizerJson.fromJson(
        new String(checkpoint.tokenizer(), StandardCharsets.UTF_8),
        dir.replaceAll("/+$", "") + "/" + Checkpoint.TOKENIZER);
  }
}
