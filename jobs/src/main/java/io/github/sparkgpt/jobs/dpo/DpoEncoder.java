package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows (prompt, chosen, rejected) to ids as sft encodes a row: the templated prompt, then each
 * response followed by {@code <|endoftext|>}. The prompt loses ids from the left until the longer
 * response fits; a row whose response cannot fit, or whose two responses are equal, is rejected
 * (empty fields are rejected by the reader).
 */
public final class DpoEncoder {
  static final String IDENTICAL = "dpo_identical_responses";
  static final String TOO_LONG = "dpo_response_too_long";
  private static final String STAGE = "dpo_encode";

  private final BpeTokenizer tokenizer;
  private final ResponseTemplate template;
  private final int maxLength;
  private long truncated;

  /** One pair: the prompt as given, and the ids of the (maybe cut) prompt and both responses. */
  public record Example(String id, String prompt, int[] promptIds, int[] chosen, int[] rejected) {}

  /** A split's encoded pairs and the rows set aside. */
  public record Encoded(List<Example> examples, List<RejectedDocument> rejected) {
    public int size() {
      return examples.size();
    }
  }

  DpoEncoder(BpeTokenizer tokenizer, ResponseTemplate template, int maxLength) {
    if (tokenizer.endOfTextId() < 0)
      throw new IllegalArgumentException("the tokenizer has no <|endoftext|> to end responses");
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
  }

  Encoded encode(TaskReader.Result read) {
    List<Example> out = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>(read.rejected());
    for (TaskExample row : read.examples()) {
      String prompt = row.inputs().get(0);
      if (row.inputs().get(1).equals(row.inputs().get(2))) {
        rejected.add(reject(row, IDENTICAL, "chosen and rejected are the same text"));
        continue;
      }
      int[] chosen = response(row.inputs().get(1));
      int[] other = response(row.inputs().get(2));
      int longer = Math.max(chosen.length, other.length);
      int[] p = tokenizer.encode(template.render(prompt));
      int[] fitted = ResponseTemplate.fitPrompt(p, longer, maxLength);
      if (fitted == null) {
        String detail =
            "response of " + longer + " tokens with end of text leaves no room in " + maxLength;
        rejected.add(reject(row, TOO_LONG, detail));
        continue;
      }
      if (fitted.length < p.length) truncated++;
      out.add(new Example(row.id(), prompt, fitted, chosen, other));
    }
    return new Encoded(out, rejected);
  }

  /** Ids of {@code text} then end of text. */
  int[] response(String text) {
    int[] r = tokenizer.encode(text);
    int[] ids = Arrays.copyOf(r, r.length + 1);
    ids[r.length] = tokenizer.endOfTextId();
    return ids;
  }

  private static RejectedDocument reject(TaskExample row, String reason, String detail) {
    return new RejectedDocument(row.id(), null, STAGE, reason, detail, row.inputs().get(0));
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
