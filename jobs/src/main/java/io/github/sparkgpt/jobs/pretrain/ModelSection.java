package io.github.sparkgpt.jobs.pretrain;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.model.GptConfig;
import io.github.sparkgpt.pipeline.ConfigBinder;
import io.github.sparkgpt.pipeline.write.Manifest;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pretrain job's {@code model} section: a GptConfig preset and its overrides (GptConfig's
 * setters), with the vocabulary and the context taken from the data.
 */
final class ModelSection {
  private final Config section;

  ModelSection(Config section) {
    this.section = section;
  }

  /** The keys it accepts: {@code model.} and the key of each GptConfig setter. */
  static Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (String k : ConfigBinder.knownKeys(GptConfig.class)) keys.add("model." + k);
    return keys;
  }

  /**
   * The model for this data: the preset with its overrides, vocabulary from the tokenizer, context
   * from the data unless set smaller. {@code manifest == null} only checks the keys.
   */
  GptConfig resolve(Manifest manifest) {
    String preset =
        section.hasPath("preset") ? section.getString("preset") : PretrainSettings.DEFAULT_PRESET;
    GptConfig cfg =
        ConfigBinder.bind(
            GptConfig.preset(preset), section, "model", "preset", "vocab_size", "context_length");
    if (manifest == null) return cfg;
    cfg.setVocabSize(vocabulary(manifest));
    return cfg.setContextLength(context(manifest)).validate();
  }

  /** The tokenizer's: a {@code vocab_size} that says otherwise is refused, not obeyed. */
  private int vocabulary(Manifest manifest) {
    int vocab = manifest.tokenizer.vocabSize;
    if (section.hasPath("vocab_size") && section.getInt("vocab_size") != vocab) {
      throw new UsageException(
          "model.vocab_size = "
              + section.getInt("vocab_size")
              + " but the data's tokenizer has "
              + vocab
              + " tokens: remove model.vocab_size (it comes from the tokenizer)");
    }
    return vocab;
  }

  /** The data's, or a smaller {@code context_length} (rows are cut into windows), never larger. */
  private int context(Manifest manifest) {
    int context = manifest.contextLength;
    if (!section.hasPath("context_length")) return context;
    int wanted = section.getInt("context_length");
    if (wanted > context) {
      throw new UsageException(
          "model.context_length = "
              + wanted
              + " but the data was packed for context "
              + context
              + ": preprocess with --context-length "
              + wanted
              + " or set a context <= "
              + context);
    }
    return wanted;
  }
}
