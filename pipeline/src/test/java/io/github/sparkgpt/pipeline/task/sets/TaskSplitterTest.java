package io.github.sparkgpt.pipeline.task.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskSplitterTest {
  private static List<TaskRow> rows(int perLabel) {
    List<TaskRow> rows = new ArrayList<>();
    for (String label : List.of("negative", "positive")) {
      for (int i = 0; i < perLabel; i++)
        rows.add(new TaskRow(label + " text " + i, label, Map.of("id", label + i)));
    }
    return rows;
  }

  private static long count(List<TaskRow> rows, String label) {
    return rows.stream().filter(r -> r.label().equals(label)).count();
  }

  @Test
  void exactStratifiedProportions() {
    TaskSplitter.Splits s = new TaskSplitter(2.0 / 3, 1.0 / 6, 7).split(rows(1500));
    assertEquals(
        List.of(2000, 500, 500), List.of(s.train().size(), s.validation().size(), s.test().size()));
    for (String label : List.of("negative", "positive")) {
      assertEquals(
          List.of(1000L, 250L, 250L),
          List.of(count(s.train(), label), count(s.validation(), label), count(s.test(), label)));
    }
    TaskSplitter.Splits t = new TaskSplitter(0.8, 0.1, 7).split(rows(45));
    assertEquals(
        List.of(72, 10, 8), List.of(t.train().size(), t.validation().size(), t.test().size()));
  }

  @Test
  void deterministicInAnyInputOrderAndSeedDependent() {
    List<TaskRow> rows = rows(100);
    TaskSplitter.Splits a = new TaskSplitter(0.8, 0.1, 7).split(rows);
    List<TaskRow> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(1));
    assertEquals(a, new TaskSplitter(0.8, 0.1, 7).split(shuffled));
    assertNotEquals(
        new HashSet<>(a.test()), new HashSet<>(new TaskSplitter(0.8, 0.1, 8).split(rows).test()));
    // Labels are interleaved, not one block after the other.
    int changes = 0;
    for (int i = 1; i < a.train().size(); i++)
      if (!a.train().get(i).label().equals(a.train().get(i - 1).label())) changes++;
    assertEquals(
        true,
        changes > a.train().size() / 4,
        changes + " label changes in " + a.train().size() + " rows");
  }

  @Test
  void rowsWithTheSameKeyStayInOneSplit() {
    List<TaskRow> rows = new ArrayList<>(rows(50));
    for (int i = 0; i < 10; i++)
      rows.add(new TaskRow("positive text " + i, "positive", Map.of("id", "dup" + i)));
    TaskSplitter.Splits s = new TaskSplitter(0.8, 0.1, 3).split(rows);
    assertEquals(rows.size(), s.train().size() + s.validation().size() + s.test().size());
    for (int i = 0; i < 10; i++) {
      String key = "positive text " + i;
      Set<String> where = new HashSet<>();
      for (String split : TaskSplitter.SPLITS)
        if (s.get(split).stream().anyMatch(r -> r.key().equals(key))) where.add(split);
      assertEquals(1, where.size(), key + " in " + where);
    }
    assertEquals(48, count(s.train(), "positive")); // round(60 * 0.8): exact despite the pairs
  }

  @Test
  void badFractionsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TaskSplitter(0.9, 0.2, 1));
    assertThrows(IllegalArgumentException.class, () -> new TaskSplitter(0, 0.1, 1));
  }
}
