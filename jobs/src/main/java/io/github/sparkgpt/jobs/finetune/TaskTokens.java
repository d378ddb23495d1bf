package io.github.sparkgpt.jobs.finetune;

import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuning's {@code <|start|>}, {@code <|delim|>}, {@code <|extract|>} for a checkpoint's
 * tokenizer. Our preprocess reserves them (conf/preprocess.conf {@code special_tokens}), but a
 * tokenizer trained with only {@code <|endoftext|>}, or one from elsewhere, lacks some: those are
 * added as special tokens at ids V, V+1, ... (V = its vocabulary size), and the model's embedding
 * must then grow to the new size ({@code GptModel.withVocabulary}; a from-scratch model is built
 * with it).
 */
public final class TaskTokens {
  public static final List<String> NAMES =
      List.of(TaskEncoder.START, TaskEncoder.DELIM, TaskEncoder.EXTRACT);

  /**
   * @param tokenizer the checkpoint's tokenizer, extended if {@code added} is not empty
   * @param added the tokens that were missing, in {@link #NAMES} order, now at ids {@code
   *     originalVocabSize, originalVocabSize+1, ...}
   */
  public record Result(BpeTokenizer tokenizer, int originalVocabSize, List<String> added) {
    public boolean grown() {
      return !added.isEmpty();
    }

    public int vocabSize() {
      return tokenizer.vocabSize();
    }

    /**
     * The console line, e.g. "the checkpoint's tokenizer lacks <|start|>, <|delim|>, <|extract|>:
     * added as ids 4096-4098, embedding grown to 4099 rows" (from scratch: "embedding built with
     * 4099 rows").
     */
    public String describe(boolean fromScratch) {
      int last = vocabSize() - 1;
      String ids = added.size() == 1 ? "id " + last : "ids " + originalVocabSize + "-" + last;
      return "the checkpoint's tokenizer lacks "
          + String.join(", ", added)
          + ": added as "
          + ids
          + ", embedding "
          + (fromScratch ? "built with " : "grown to ")
          + vocabSize()
          + " rows";
    }

    /**
     * For metrics.json: vocabulary sizes and the added tokens with their ids (empty when none was
     * missing).
     */
    public Map<String, Object> toMap() {
      Map<String, Object> addedIds = new LinkedHashMap<>();
      for (String name : added) addedIds.put(name, tokenizer.specialTokenId(name));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("checkpoint_vocab_size", originalVocabSize);
      m.put("vocab_size", vocabSize());
      m.put("added_special_tokens", addedIds);
      return m;
    }
  }

  private TaskTokens() {}

  /** The tokenizer with every one of {@link #NAMES} (unchanged if it has them all). */
  public static Result ensure(BpeTokenizer tokenizer) {
    List<String> missing = new ArrayList<>();
    for (String name : NAMES) if (!tokenizer.hasSpecialToken(name)) missing.add(name);
    BpeTokenizer out = missing.isEmpty() ? tokenizer : tokenizer.withAddedSpecialTokens(missing);
    return new Result(out, tokenizer.vocabSize(), List.copyOf(missing));
  }
}
