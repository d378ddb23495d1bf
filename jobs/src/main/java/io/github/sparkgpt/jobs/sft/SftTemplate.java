package io.github.sparkgpt.jobs.sft;

/**
 * The text the model sees before a response: the template with {@code {prompt}} replaced by the
 * row's prompt. The response follows it directly, then {@code <|endoftext|>}.
 */
public final class SftTemplate {
  static final String SLOT = "{prompt}";
  private final String before;
  private final String after;

  private SftTemplate(String before, String after) {
    this.before = before;
    this.after = after;
  }

  /** A template holding {@code {prompt}} exactly once. */
  public static SftTemplate of(String template) {
    int at = template.indexOf(SLOT);
    SftChecks.require(
        at >= 0 && at == template.lastIndexOf(SLOT),
        "template must hold " + SLOT + " exactly once: '" + template + "'");
    return new SftTemplate(template.substring(0, at), template.substring(at + SLOT.length()));
  }

  public String render(String prompt) {
    return before + prompt + after;
  }
}
