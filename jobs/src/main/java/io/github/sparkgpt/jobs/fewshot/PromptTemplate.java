package io.github.sparkgpt.jobs.fewshot;

import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's prompt template with named placeholders: the example's fields ({@code {text}}; {@code
 * {premise}}, {@code {hypothesis}}; {@code {text_a}}, {@code {text_b}}; {@code {context}}) and the
 * candidate ({@code {label}}, or {@code {answer}} for multiple choice), which must appear exactly
 * once.
 *
 * <p>A demonstration is the whole template filled with the right answer. A query is the template up
 * to the candidate: the text after the candidate is not scored. Spaces right before the candidate
 * move onto the candidate (" positive"), because a byte-level BPE tokenizer attaches a word's
 * leading space to the word.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private final TaskType task;
  private final List<String> fields;
  private final String candidate;
  private final List<String> before =
      new ArrayList<>(); // literal, placeholder, literal, ... up to the candidate
  private final String after; // template text after the candidate (demonstrations only)

  public PromptTemplate(TaskType task, String template) {
    this.task = task;
    this.fields = fieldNames(task);
    this.candidate = candidateName(task);
    Matcher m = PLACEHOLDER.matcher(template);
    int pos = 0, candidates = 0, candidateEnd = -1;
    while (m.find()) {
      String name = m.group(1);
      if (!name.equals(candidate) && !fields.contains(name)) {
        throw new IllegalArgumentException(
            "template placeholder {"
                + name
                + "} is unknown for "
                + task.key()
                + ": use "
                + placeholders(task));
      }
      if (candidates == 0) {
        before.add(template.substring(pos, m.start()));
        before.add(name);
      }
      if (name.equals(candidate)) {
        candidates++;
        if (candidates == 1) candidateEnd = m.end();
      }
      pos = m.end();
    }
    if (candidates != 1) {
      throw new IllegalArgumentException(
          "template must hold {"
              + candidate
              + "} exactly once (found "
              + candidates
              + "): "
              + template.replace("\n", "\\n"));
    }
    before.remove(before.size() - 1); // the candidate placeholder itself
    this.after = template.substring(candidateEnd);
  }

  /**
   * Field placeholder names, in the order of the example's inputs (multiple choice: the context
   * only).
   */
  public static List<String> fieldNames(TaskType task) {
    return switch (task) {
      case CLASSIFICATION -> List.of("text");
      case ENTAILMENT -> List.of("premise", "hypothesis");
      case SIMILARITY -> List.of("text_a", "text_b");
      case MULTIPLE_CHOICE -> List.of("context");
    };
  }

  public static String candidateName(TaskType task) {
    return task == TaskType.MULTIPLE_CHOICE ? "answer" : "label";
  }

  public static String placeholders(TaskType task) {
    List<String> all = new ArrayList<>();
    for (String f : fieldNames(task)) all.add("{" + f + "}");
    all.add("{" + candidateName(task) + "}");
    return String.join(", ", all);
  }

  public TaskType task() {
    return task;
  }

  /**
   * The query text before the candidate, without the spaces that separate it from the candidate.
   */
  public String queryPrefix(List<String> inputs) {
    String s = fill(inputs);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') end--;
    return s.substring(0, end);
  }

  /**
   * The candidate as scored after {@link #queryPrefix}: the spaces the template puts before it,
   * then the answer.
   */
  public String candidateText(List<String> inputs, String answer) {
    String s = fill(inputs);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') end--;
    return s.substring(end) + answer;
  }

  /** A solved example: the whole template with {@code answer} in the candidate's place. */
  public String demonstration(List<String> inputs, String answer) {
    StringBuilder sb = new StringBuilder(fill(inputs)).append(answer);
    Matcher m = PLACEHOLDER.matcher(after);
    int pos = 0;
    while (m.find()) {
      sb.append(after, pos, m.start());
      String name = m.group(1);
      sb.append(name.equals(candidate) ? answer : value(inputs, name));
      pos = m.end();
    }
    return sb.append(after.substring(pos)).toString();
  }

  /** Everything up to the candidate, placeholders filled. */
  private String fill(List<String> inputs) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < before.size(); i++)
      sb.append(i % 2 == 0 ? before.get(i) : value(inputs, before.get(i)));
    return sb.toString();
  }

  private String value(List<String> inputs, String name) {
    return inputs.get(fields.indexOf(name)).strip();
  }
}
