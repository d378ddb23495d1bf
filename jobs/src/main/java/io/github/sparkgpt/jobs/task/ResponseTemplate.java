package io.github.sparkgpt.jobs.task;

import io.github.sparkgpt.jobs.UsageException;
import java.util.Arrays;

/**
 * The text a generative model sees before a response (sft, dpo): the template with {@code {prompt}}
 * replaced by the row's prompt. The response follows it directly, then {@code <|endoftext|>}.
 */
public final class ResponseTemplate {
  static final String SLOT = "{prompt}";
  private final String before;
  private final String after;

  private ResponseTemplate(String before, String after) {
    this.before = before;
    this.after = after;
  }

  /** A template holding {@code {prompt}} exactly once ({@code job} names the refusal). */
  public static ResponseTemplate of(String job, String template) {
    int at = template.indexOf(SLOT);
    if (at < 0 || at != template.lastIndexOf(SLOT)) {
      throw new UsageException(
          job + ": template must hold " + SLOT + " exactly once: '" + template + "'");
    }
    return new ResponseTemplate(template.substring(0, at), template.substring(at + SLOT.length()));
  }

  public String render(String prompt) {
    return before + prompt + after;
  }

  /**
   * The prompt's ids cut from the left so that prompt + a response of {@code responseIds} ids (end
   * of text included) fit {@code maxLength} positions (which predict maxLength + 1 ids), with at
   * least one prompt id first; null when the response alone leaves no room.
   */
  public static int[] fitPrompt(int[] prompt, int responseIds, int maxLength) {
    int room = maxLength + 1 - responseIds;
    if (room < 1) return null;
    return prompt.length > room
        ? Arrays.copyOfRange(prompt, prompt.length - room, prompt.length)
        : prompt;
  }
}
