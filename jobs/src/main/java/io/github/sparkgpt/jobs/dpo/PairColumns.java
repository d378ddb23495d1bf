package io.github.sparkgpt.jobs.dpo;

import io.github.sparkgpt.jobs.task.TaskColumns;
import io.github.sparkgpt.pipeline.task.TaskType;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a pairs file keeps each field: prompt, chosen, rejected, and optionally why each response
 * stopped (a row without a finish reason ended). {@code S} is the settings class, so the setters
 * chain.
 */
public abstract class PairColumns<S extends PairColumns<S>> implements TaskColumns {
  private String promptColumn = "prompt";
  private String chosenColumn = "chosen";
  private String rejectedColumn = "rejected";
  private String chosenFinishReasonColumn = "chosen_finish_reason";
  private String rejectedFinishReasonColumn = "rejected_finish_reason";
  private String idColumn = "";
  private String format = "auto";

  abstract S self();

  /** None: a preference run has no task family. */
  @Override
  public TaskType taskType() {
    return null;
  }

  /** The prompt, the chosen and the rejected response. */
  @Override
  public List<String> getTextColumns() {
    return List.of(promptColumn, chosenColumn, rejectedColumn);
  }

  @Override
  public String getLabelColumn() {
    return chosenColumn;
  }

  /** The finish-reason columns that are named ("" = none); a row may leave them out. */
  @Override
  public List<String> optionalColumns() {
    return Stream.of(chosenFinishReasonColumn, rejectedFinishReasonColumn)
        .filter(c -> !c.isEmpty())
        .toList();
  }

  public String getPromptColumn() {
    return promptColumn;
  }

  public S setPromptColumn(String v) {
    promptColumn = v;
    return self();
  }

  public String getChosenColumn() {
    return chosenColumn;
  }

  public S setChosenColumn(String v) {
    chosenColumn = v;
    return self();
  }

  public String getRejectedColumn() {
    return rejectedColumn;
  }

  public S setRejectedColumn(String v) {
    rejectedColumn = v;
    return self();
  }

  public String getChosenFinishReasonColumn() {
    return chosenFinishReasonColumn;
  }

  public S setChosenFinishReasonColumn(String v) {
    chosenFinishReasonColumn = v;
    return self();
  }

  public String getRejectedFinishReasonColumn() {
    return rejectedFinishReasonColumn;
  }

  public S setRejectedFinishReasonColumn(String v) {
    rejectedFinishReasonColumn = v;
    return self();
  }

  @Override
  public String getIdColumn() {
    return idColumn;
  }

  public S setIdColumn(String v) {
    idColumn = v;
    return self();
  }

  @Override
  public String getFormat() {
    return format;
  }

  public S setFormat(String v) {
    format = v;
    return self();
  }
}
