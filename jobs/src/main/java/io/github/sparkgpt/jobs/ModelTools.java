package io.github.sparkgpt.jobs;

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
    if (!Files.isDirectory(dir)) throw new UsageException("--checkpoint " + dir + ": no such directory");
    try {
      return Checkpoint.load(dir);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static BpeTokenizer tokenizer(Checkpoint checkpoint, Path dir) {
    return HfTokenizerJson.fromJson(new String(checkpoint.tokenizer(), StandardCharsets.UTF_8),
        dir.resolve(Checkpoint.TOKENIZER).toString());
  }
}
