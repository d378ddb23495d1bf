package io.github.sparkgpt.pipeline.task;

import java.util.ArrayList;
import java.util.List;

/**
 * GPT-1's task input transforms, as token sequences:
 *
 * <pre>
 *   classification   [start] text [extract]
 *   entailment       [start] premise [delim] hypothesis [extract]
 *   similarity       [start] a [delim] b [extract]  and  [start] b [delim] a [extract]   (representations summed)
 *   multiple choice  [start] context [delim] answer_k [extract]   for every k           (softmax over choices)
 * </pre>
 *
 * The classifier reads the final hidden state at the extract token, always the last token of a
 * sequence.
 *
 * <p>Truncation policy ({@code longest_first}): while a sequence exceeds {@code maxLength}, drop
 * the last token of its currently longest text field; the special tokens are never dropped. Every
 * truncated sequence is counted.
 */
public final class InputTransform {
  private final TaskType task;
  private final int start;
  private final int delimiter;
  private final int extract;
  private final int maxLength;
  private long truncatedSequences;

  public InputTransform(TaskType task, int startId, int delimiterId, int extractId, int maxLength) {
    int specials = task == TaskType.CLASSIFICATION ? 2 : 3;
    if (maxLength < specials + 2) {
      throw new IllegalArgumentException(
          "max_length "
              + maxLength
              + " leaves no room for text in a "
              + task.key()
              + " sequence ("
              + specials
              + " special tokens)");
    }
    this.task = task;
    this.start = startId;
    this.delimiter = delimiterId;
    this.extract = extractId;
    this.maxLength = maxLength;
  }

  /** Number of text fields an example of this task must have (for multiple choice: at least 3). */
  public int expectedFields() {
    return task == TaskType.CLASSIFICATION ? 1 : task == TaskType.MULTIPLE_CHOICE ? -1 : 2;
  }

  /**
   * The model inputs of one example: one sequence, or two (similarity), or one per choice (multiple
   * choice).
   */
  public List<int[]> apply(List<int[]> fields) {
    List<int[]> out = new ArrayList<>();
    switch (task) {
      case CLASSIFICATION -> {
        require(fields.size() == 1, "classification takes 1 text field, got " + fields.size());
        out.add(sequence(fields.get(0), null));
      }
      case ENTAILMENT -> {
        require(
            fields.size() == 2,
            "entailment takes premise and hypothesis, got " + fields.size() + " fields");
        out.add(sequence(fields.get(0), fields.get(1)));
      }
      case SIMILARITY -> {
        require(fields.size() == 2, "similarity takes 2 text fields, got " + fields.size());
        out.add(sequence(fields.get(0), fields.get(1)));
        out.add(sequence(fields.get(1), fields.get(0)));
      }
      case MULTIPLE_CHOICE -> {
        require(
            fields.size() >= 3,
            "multiple choice takes a context and at least 2 answers, got "
                + fields.size()
                + " fields");
        for (int k = 1; k < fields.size(); k++) out.add(sequence(fields.get(0), fields.get(k)));
      }
    }
    return out;
  }

  /** Sequences that had to be truncated so far. */
  public long truncatedSequences() {
    return truncatedSequences;
  }

  private int[] sequence(int[] first, int[] second) {
    int specials = second == null ? 2 : 3;
    int a = first.length;
    int b = second == null ? 0 : second.length;
    if (a + b + specials > maxLength) {
      truncatedSequences++;
      while (a + b + specials > maxLength) {
        if (a >= b) a--;
        else b--;
      }
    }
    int[] seq = new int[a + b + specials];
    int n = 0;
    seq[n++] = start;
    System.arraycopy(first, 0, seq, n, a);
    n += a;
    if (second != null) {
      seq[n++] = delimiter;
      System.arraycopy(second, 0, seq, n, b);
      n += b;
    }
    seq[n] = extract;
    return seq;
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
