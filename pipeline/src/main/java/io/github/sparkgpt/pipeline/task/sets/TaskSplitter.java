package io.github.sparkgpt.pipeline.task.sets;

import io.github.sparkgpt.pipeline.pack.SplitAssigner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic train/validation/test split, stratified by label. Within each label, the distinct
 * row keys are ranked by a seeded 64-bit hash ({@link SplitAssigner#hash64}) and dealt out in that
 * order: train gets {@code round(n * train_fraction)} rows, validation {@code round(n *
 * validation_fraction)}, test the rest. Rows sharing a key (duplicate texts) move together, into
 * the first split with room for all of them, so counts stay exact whenever single rows can fill the
 * gaps. The same rows and seed give the same split on any machine, in any input order. Each split
 * is finally ordered by the same hash, which interleaves the labels.
 */
public final class TaskSplitter {
  public static final List<String> SPLITS = List.of("train", "validation", "test");

  private final double trainFraction;
  private final double validationFraction;
  private final long seed;

  /** The three splits, in the order they are written. */
  public record Splits(List<TaskRow> train, List<TaskRow> validation, List<TaskRow> test) {
    public List<TaskRow> get(String split) {
      return switch (split) {
        case "train" -> train;
        case "validation" -> validation;
        case "test" -> test;
        default -> throw new IllegalArgumentException("unknown split " + split);
      };
    }
  }

  public TaskSplitter(double trainFraction, double validationFraction, long seed) {
    if (!(trainFraction > 0
        && validationFraction >= 0
        && trainFraction + validationFraction <= 1)) {
      throw new IllegalArgumentException(
          "train_fraction "
              + trainFraction
              + " and validation_fraction "
              + validationFraction
              + " must be > 0 and >= 0 and sum to at most 1 (test gets the rest)");
    }
    this.trainFraction = trainFraction;
    this.validationFraction = validationFraction;
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  public Splits split(List<TaskRow> rows) {
    Map<String, Map<String, List<TaskRow>>> byLabelThenKey = new LinkedHashMap<>();
    for (TaskRow r : rows) {
      byLabelThenKey
          .computeIfAbsent(r.label(), l -> new LinkedHashMap<>())
          .computeIfAbsent(r.key(), k -> new ArrayList<>())
          .add(r);
    }
    List<List<TaskRow>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Map<String, List<TaskRow>> groups : byLabelThenKey.values()) {
      int n = groups.values().stream().mapToInt(List::size).sum();
      int train = (int) Math.round(n * trainFraction);
      int validation = Math.min(n - train, (int) Math.round(n * validationFraction));
      int[] room = {train, validation, n - train - validation};
      List<String> keys = new ArrayList<>(groups.keySet());
      keys.sort(byHash());
      for (String key : keys) {
        List<TaskRow> group = groups.get(key);
        int target = -1;
        for (int s = 0; s < 3 && target < 0; s++) if (room[s] >= group.size()) target = s;
        if (target < 0)
          target = room[0] >= room[1] && room[0] >= room[2] ? 0 : room[1] >= room[2] ? 1 : 2;
        room[target] -= group.size();
        out.get(target).addAll(group);
      }
    }
    for (List<TaskRow> split : out) split.sort(Comparator.comparing(TaskRow::key, byHash()));
    return new Splits(List.copyOf(out.get(0)), List.copyOf(out.get(1)), List.copyOf(out.get(2)));
  }

  private Comparator<String> byHash() {
    return Comparator.<String>comparingLong(k -> SplitAssigner.hash64(k, seed))
        .thenComparing(Comparator.naturalOrder());
  }

  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "method",
        "stratified by label; distinct keys ranked by seeded FNV-1a/splitmix64 hash, rows with the"
            + " same key kept together");
    m.put("train_fraction", trainFraction);
    m.put("validation_fraction", validationFraction);
    m.put(
        "test_fraction",
        Math.round(Math.max(0, 1 - trainFraction - validationFraction) * 1e9) / 1e9);
    m.put("seed", seed);
    return m;
  }
}
