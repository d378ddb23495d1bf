package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.model.FinishReason;
import java.io.Serializable;
import java.util.Objects;

/**
 * One completion's text (prompt excluded, end-of-text and stop sequence left out) and why it
 * stopped: {@code stop} (it ended) or {@code length} (cut at max_new_tokens). A class, not a
 * record: completions come back from the executors through Kryo, which cannot build records.
 */
public final class Completion implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String text;
  private final FinishReason finish;

  public Completion(String text, FinishReason finish) {
    this.text = Objects.requireNonNull(text);
    this.finish = Objects.requireNonNull(finish);
  }

  public String text() {
    return text;
  }

  public FinishReason finish() {
    return finish;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Completion c && text.equals(c.text) && finish == c.finish;
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, finish);
  }

  @Override
  public String toString() {
    return finish.label() + ": " + text;
  }
}
