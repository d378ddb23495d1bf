package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.model.FinishReason;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows (prompt, chosen, rejected) to ids as sft encodes a row: the templated prompt, then each
 * response followed by {@code <|endoftext|>} when it ended (finish reason {@code stop}, or none
 * given); a response cut at the sampling limit ({@code length}) keeps its own ids only, since the
 * sampler never produced an end there. The prompt loses ids from the left until the longer response
 * fits; a row whose response cannot fit, whose two responses are equal (text and ending), or whose
 * finish reason is neither {@code stop} nor {@code length} is rejected (empty fields are rejected
 * by the reader).
 */
public final class DpoEncoder {
  static final String IDENTICAL = "dpo_identical_responses";
  static final String TOO_LONG = "dpo_response_too_long";
  static final String UNKNOWN_FINISH = "dpo_unknown_finish_reason";
  private static final String STAGE = "dpo_encode";

  private final BpeTokenizer tokenizer;
  private final ResponseTemplate template;
  private final int maxLength;
  private final List<String> finishColumns; // chosen's, rejected's; "" = none (ended)
  private long truncated;
  private long cut;

  /** One pair: the prompt as given, and the ids of the (maybe cut) prompt and both responses. */
  public record Example(String id, String prompt, int[] promptIds, int[] chosen, int[] rejected) {}

  /** A split's encoded pairs and the rows set aside. */
  public record Encoded(List<Example> examples, List<RejectedDocument> rejected) {
    public int size() {
      return examples.size();
    }
  }

  DpoEncoder(
      BpeTokenizer tokenizer, ResponseTemplate template, int maxLength, PairColumns<?> columns) {
    if (tokenizer.endOfTextId() < 0)
      throw new IllegalArgumentException("the tokenizer has no <|endoftext|> to end responses");
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
    this.finishColumns =
        List.of(columns.getChosenFinishReasonColumn(), columns.getRejectedFinishReasonColumn());
  }

  Encoded encode(TaskReader.Result read) {
    List<Example> out = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>(read.rejected());
    for (TaskExample row : read.examples()) {
      String prompt = row.inputs().get(0);
      String bad = unknownFinish(row);
      if (bad != null) {
        rejected.add(reject(row, UNKNOWN_FINISH, bad));
        continue;
      }
      int[] chosen = response(row.inputs().get(1), ended(row, 0));
      int[] other = response(row.inputs().get(2), ended(row, 1));
      if (Arrays.equals(chosen, other)) {
        rejected.add(reject(row, IDENTICAL, "chosen and rejected are the same text and ending"));
        continue;
      }
      int longer = Math.max(chosen.length, other.length);
      int[] p = tokenizer.encode(template.render(prompt));
      int[] fitted = ResponseTemplate.fitPrompt(p, longer, maxLength);
      if (fitted == null) {
        String detail = "response of " + longer + " tokens leaves no room in " + maxLength;
        rejected.add(reject(row, TOO_LONG, detail));
        continue;
      }
      if (fitted.length < p.length) truncated++;
      if (!ended(row, 0)) cut++;
      if (!ended(row, 1)) cut++;
      out.add(new Example(row.id(), prompt, fitted, chosen, other));
    }
    return new Encoded(out, rejected);
  }

  /** Ids of {@code text}, then end of text when the response ended (was not cut). */
  int[] response(String text, boolean ended) {
    int[] r = tokenizer.encode(text);
    if (!ended) return r;
    int[] ids = Arrays.copyOf(r, r.length + 1);
    ids[r.length] = tokenizer.endOfTextId();
    return ids;
  }

  /** Whether response {@code k} (0 chosen, 1 rejected) ended: finish reason stop, or none given. */
  private boolean ended(TaskExample row, int k) {
    String v = reason(row, finishColumns.get(k));
    return v == null || FinishReason.parse(v) == FinishReason.STOP;
  }

  /** The row's value of finish-reason column {@code col}; null when not configured or absent. */
  private static String reason(TaskExample row, String col) {
    return col.isEmpty() ? null : row.optional().get(col);
  }

  /** Why the row's finish reasons cannot be read, or null when each is stop, length or absent. */
  private String unknownFinish(TaskExample row) {
    for (String col : finishColumns) {
      String v = reason(row, col);
      if (v != null && FinishReason.parse(v) == null)
        return "column '" + col + "' holds '" + v + "', not stop or length";
    }
    return null;
  }

  private static RejectedDocument reject(TaskExample row, String reason, String detail) {
    return new RejectedDocument(row.id(), null, STAGE, reason, detail, row.inputs().get(0));
  }

  /** Responses of kept rows that were cut (finish reason length), so scored without an end. */
  long cutResponses() {
    return cut;
  }

  /** Rows whose prompt lost ids on the left so far. */
  long truncatedPrompts() {
    return truncated;
  }

  ResponseTemplate template() {
    return template;
  }

  BpeTokenizer tokenizer() {
    return tokenizer;
  }
}
