package io.github.sparkgpt.jobs.fewshot;

import io.github.sparkgpt.jobs.fewshot.PromptBuilder.Prompt;
import io.github.sparkgpt.jobs.task.Quarantine;
import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.task.LabelMap;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompts of a few-shot run: per query its sampled shots as demonstrations, then the query with
 * every candidate; a query whose prompt cannot fit the context is rejected.
 */
final class FewShotPrompts {
  /** One query's prompt(s) (similarity: both orderings) and where its scores go. */
  record Query(TaskExample example, int label, int firstPrompt, int prompts, int[][] candidates) {}

  private final TaskType taskType;
  private final PromptTemplate template;
  private final LabelMap labels;

  /** Per label, the words scored for it (the verbalizer); unused for multiple choice. */
  private final List<String> words;

  private final PromptBuilder builder;
  private final List<Prompt> prompts = new ArrayList<>();
  private final List<Query> built = new ArrayList<>();

  FewShotPrompts(
      TaskType taskType,
      PromptTemplate template,
      LabelMap labels,
      List<String> words,
      PromptBuilder builder) {
    this.taskType = taskType;
    this.template = template;
    this.labels = labels;
    this.words = words;
    this.builder = builder;
  }

  /** Every prompt built so far, in query order. */
  List<Prompt> all() {
    return prompts;
  }

  /** The queries whose prompts were built, with where their prompts start in {@link #all}. */
  List<Query> queries() {
    return built;
  }

  /**
   * Prompts: one per query (two for similarity), candidates in label order (multiple choice: answer
   * order).
   */
  long build(
      List<TaskExample> queries,
      ShotSampler<TaskExample> sampler,
      Quarantine quarantine,
      String eval) {
    long tooLong = 0;
    for (TaskExample e : queries) {
      List<String> demos = new ArrayList<>();
      for (TaskExample shot : sampler.next())
        demos.add(template.demonstration(shot.inputs(), answerOf(shot)));
      List<List<String>> orderings = new ArrayList<>(List.of(e.inputs()));
      if (taskType == TaskType.SIMILARITY)
        orderings.add(List.of(e.inputs().get(1), e.inputs().get(0)));
      List<Prompt> mine = new ArrayList<>();
      try {
        for (List<String> fields : orderings) {
          List<String> candidates = new ArrayList<>();
          List<String> answers =
              taskType == TaskType.MULTIPLE_CHOICE
                  ? e.inputs().subList(1, e.inputs().size())
                  : words;
          for (String a : answers) candidates.add(template.candidateText(fields, a.strip()));
          mine.add(builder.build(demos, template.queryPrefix(fields), candidates));
        }
      } catch (PromptBuilder.TooLong x) {
        tooLong++;
        quarantine.reject(
            "eval",
            new RejectedDocument(
                e.id(),
                eval,
                "fewshot_prompt",
                "fewshot_too_long",
                x.getMessage(),
                String.join(" | ", e.inputs())));
        continue;
      }
      built.add(
          new Query(
              e,
              e.label() == null ? -1 : labels.indexOf(e.label()),
              prompts.size(),
              mine.size(),
              mine.get(0).candidates()));
      prompts.addAll(mine);
    }
    return tooLong;
  }

  /** A shot's right answer: its label's word, or (multiple choice) the text of its right answer. */
  private String answerOf(TaskExample e) {
    int y = labels.indexOf(e.label());
    return (taskType == TaskType.MULTIPLE_CHOICE ? e.inputs().get(1 + y) : words.get(y)).strip();
  }
}
