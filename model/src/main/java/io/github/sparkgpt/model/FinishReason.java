package io.github.sparkgpt.model;

import java.util.Locale;

/**
 * Why a completion stopped, named as the usual LLM APIs name it: {@code stop} when the model ended
 * it (end-of-text or a stop sequence), {@code length} when it was cut (max_new_tokens, or the
 * context filled up). A cut completion has no end the model chose, so training must not add one.
 */
public enum FinishReason {
  STOP,
  LENGTH;

  /** The lower-case name written to files: {@code stop} or {@code length}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The reason named {@code label} ({@code stop} or {@code length}), or null for any other text.
   */
  public static FinishReason parse(String label) {
    for (FinishReason r : values()) if (r.label().equals(label)) return r;
    return null;
  }
}
