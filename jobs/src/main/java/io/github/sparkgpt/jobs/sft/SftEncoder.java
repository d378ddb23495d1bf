package io.github.sparkgpt.jobs.sft;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows (prompt, accepted responses...) to token sequences: the templated prompt, the first
 * response, {@code <|endoftext|>}. A sequence longer than {@code maxLength} + 1 loses prompt tokens
 * from the left; the response is never cut, and a row whose response (with at least one prompt
 * token before it) does not fit is rejected ({@link #RESPONSE_TOO_LONG}).
 */
public final class SftEncoder {
  public static final String RESPONSE_TOO_LONG = "sft_response_too_long";
  private static final String STAGE = "sft_encode";

  private final BpeTokenizer tokenizer;
  private final ResponseTemplate template;
  private final int maxLength;
  private long truncated;

  /**
   * One encoded row: {@code tokens} = prompt (maybe cut) + response + end of text; the first {@code
   * promptTokens} of them are the prompt's. {@code prompt} is the row's prompt as given, {@code
   * answers} every accepted response (training uses the first).
   */
  public record Example(
      String id, String prompt, List<String> answers, int[] tokens, int promptTokens) {}

  /** A split's encoded rows and the rows set aside. */
  public record Encoded(List<Example> examples, List<RejectedDocument> rejected) {
    public int size() {
      return examples.size();
    }
  }

  /** {@code maxLength}: positions per sequence (the model's context or less). */
  public SftEncoder(BpeTokenizer tokenizer, ResponseTemplate template, int maxLength) {
    if (tokenizer.endOfTextId() < 0)
      throw new IllegalArgumentException("the tokenizer has no <|endoftext|> to end responses");
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
  }

  public Encoded encode(TaskReader.Result read) {
    List<Example> out = new ArrayList<>();
    List<RejectedDocument> rejected = new ArrayList<>(read.rejected());
    for (TaskExample row : read.examples()) {
      String prompt = row.inputs().get(0);
      List<String> answers = row.inputs().subList(1, row.inputs().size());
      int[] p = tokenizer.encode(template.render(prompt));
      int[] r = tokenizer.encode(answers.get(0));
      int[] fitted = ResponseTemplate.fitPrompt(p, r.length + 1, maxLength);
      if (fitted == null) {
        String detail =
            "response of " + r.length + " tokens + end of text leaves no room in " + maxLength;
        rejected.add(
            new RejectedDocument(row.id(), null, STAGE, RESPONSE_TOO_LONG, detail, prompt));
        continue;
      }
      if (fitted.length < p.length) truncated++;
      p = fitted;
      int[] tokens = Arrays.copyOf(p, p.length + r.length + 1);
      System.arraycopy(r, 0, tokens, p.length, r.length);
      tokens[tokens.length - 1] = tokenizer.endOfTextId();
      out.add(new Example(row.id(), prompt, List.copyOf(answers), tokens, p.length));
    }
    return new Encoded(out, rejected);
  }

  /** Rows whose prompt lost tokens on the left so far. */
  public long truncatedPrompts() {
    return truncated;
  }

  public ResponseTemplate template() {
    return template;
  }
}
