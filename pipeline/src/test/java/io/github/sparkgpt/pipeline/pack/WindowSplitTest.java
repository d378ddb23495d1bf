package io.github.sparkgpt.pipeline.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.SparkTestSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class WindowSplitTest {
  static final int EOT = 0;
  static final int T = 8;

  /** Two documents of 100 and 60 tokens, ids 1.. (document d's tokens are d*1000 + position). */
  static List<EncodedDocument> twoDocuments() {
    List<EncodedDocument> docs = new ArrayList<>();
    for (int d = 1; d <= 2; d++) {
      int[] t = new int[d == 1 ? 100 : 60];
      for (int i = 0; i < t.length; i++) t[i] = d * 1000 + i;
      docs.add(new EncodedDocument("file:corpus/book-" + d + ".txt", t, false));
    }
    return docs;
  }

  static JavaRDD<EncodedDocument> rdd(List<EncodedDocument> docs, int slices) {
    return JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext())
        .parallelize(docs, slices);
  }

  @Test
  void twoDocumentsGiveANonEmptyValidationSplitOfWholeWindows() {
    WindowSplit ws = new WindowSplit(T, EOT, 1234);
    JavaRDD<WindowSplit.Window> windows = ws.windows(rdd(twoDocuments(), 2), 1);
    long all = windows.count();
    assertEquals((100 + 1 + 60 + 1) / (T + 1), all, "one stream, cut into windows of T+1");
    long held = WindowSplit.validationWindows(all, 0.02);
    assertEquals(1, held, "at least one window even where 2% of 18 rounds to 0");
    Long threshold = WindowSplit.threshold(windows, held);
    List<int[]> validation = WindowSplit.side(windows, threshold, true, 1).collect();
    List<int[]> train = WindowSplit.side(windows, threshold, false, 2).collect();
    assertEquals(1, validation.size());
    assertEquals(all - 1, train.size());
    // Every window is a contiguous run of the stream: a document's tokens in order, then
    // end-of-text.
    for (int[] w : validation) {
      assertEquals(T + 1, w.length);
      for (int i = 1; i < w.length; i++) {
        assertTrue(w[i] == EOT || w[i - 1] == EOT || w[i] == w[i - 1] + 1, Arrays.toString(w));
      }
    }
    Set<String> trainRows = new TreeSet<>();
    train.forEach(w -> trainRows.add(Arrays.toString(w)));
    assertTrue(
        !trainRows.contains(Arrays.toString(validation.get(0))), "a window is on one side only");
    WindowSplit.Side v = ws.count(windows, threshold, true);
    WindowSplit.Side t = ws.count(windows, threshold, false);
    assertEquals(1, v.sequences);
    assertEquals(all * (T + 1), (v.sequences + t.sequences) * (T + 1));
    assertEquals(2, t.documents, "both documents have text in train");
    assertTrue(v.documents >= 1 && v.documents <= 2);
  }

  @Test
  void theSplitDependsOnTheDataNotOnHowTheInputIsPartitioned() {
    WindowSplit ws = new WindowSplit(T, EOT, 7);
    List<String> first = null;
    for (int slices : new int[] {1, 2, 3}) {
      JavaRDD<WindowSplit.Window> windows = ws.windows(rdd(twoDocuments(), slices), 2);
      long held = WindowSplit.validationWindows(windows.count(), 0.2);
      assertTrue(
          held >= 3,
          "20% of 17 or 18 windows (each packing partition drops its partial tail): " + held);
      Long threshold = WindowSplit.threshold(windows, held);
      List<String> validation = new ArrayList<>();
      WindowSplit.side(windows, threshold, true, 1)
          .collect()
          .forEach(w -> validation.add(Arrays.toString(w)));
      assertEquals(held, validation.size());
      if (first == null) first = validation;
      assertEquals(first, validation, "input slices " + slices);
    }
  }

  @Test
  void validationWindowCounts() {
    assertEquals(0, WindowSplit.validationWindows(1, 0.5), "one window: nothing to hold out");
    assertEquals(0, WindowSplit.validationWindows(100, 0), "fraction 0: no validation");
    assertEquals(1, WindowSplit.validationWindows(2, 0.02));
    assertEquals(1, WindowSplit.validationWindows(2, 0.9), "train keeps at least one");
    assertEquals(20, WindowSplit.validationWindows(1000, 0.02));
  }
}
