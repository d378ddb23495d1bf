package io.github.sparkgpt.jobs;

import io.github.sparkgpt.model.Checkpoint;
import io.github.sparkgpt.model.GptTaskModel;
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

  /** A pretrained language model: a fine-tuned (task) checkpoint is refused with a one-line usage error. */
  static Checkpoint loadLanguageModel(Path dir) {
    Checkpoint cp = load(dir);
    if (cp.network().getConfiguration().getVertices().containsKey(GptTaskModel.OUTPUT)) {
      throw new UsageException("--checkpoint " + dir + " is a fine-tuned model: pass a pretrained (language model) checkpoint");
    }
    return cp;
  }

  static BpeTokenizer tokenizer(Checkpoint checkpoint, Path dir) {
    return HfTokenizerJson.fromJson(new String(checkpoint.tokenizer(), StandardCharsets.UTF_8),
        dir.resolve(Checkpoint.TOKENIZER).toString());
  }
}
