package io.github.sparkgpt.pipeline.tokenizer;

import java.util.List;

/**
 * The special tokens, spelled once: {@code <|endoftext|>} separates documents in pretraining, and
 * GPT-1's fine-tuning tokens frame task inputs. All four are in a trained vocabulary from the
 * start, so fine-tuning never has to grow the embedding table.
 */
public final class SpecialTokens {
  public static final String END_OF_TEXT = "<|endoftext|>";
  public static final String START = "<|start|>";
  public static final String DELIM = "<|delim|>";
  public static final String EXTRACT = "<|extract|>";

  /** The special tokens a trained tokenizer gets by default, in id order. */
  public static final List<String> DEFAULTS = List.of(END_OF_TEXT, START, DELIM, EXTRACT);

  private SpecialTokens() {}

  /** The k-th placeholder, {@code <|reserved_k|>}, for special tokens added later. */
  public static String reserved(int k) {
    return "<|reserved_" + k + "|>";
  }
}
