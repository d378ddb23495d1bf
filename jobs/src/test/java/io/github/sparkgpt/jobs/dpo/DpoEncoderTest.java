package io.github.sparkgpt.jobs.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.jobs.task.TaskSplits;
import io.github.sparkgpt.model.DpoBatch;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

class DpoEncoderTest {
  // bytes, the special tokens and a merge ("zz") these texts never use: one token per character
  private static final BpeTokenizer TOK =
      new BpeTrainer().setVocabSize(261).trainOnCounts(Map.of("zz", 1L));

  private static int[] ids(String text, boolean endOfText) {
    int[] t = TOK.encode(text);
    if (!endOfText) return t;
    int[] out = java.util.Arrays.copyOf(t, t.length + 1);
    out[t.length] = TOK.endOfTextId();
    return out;
  }

  private static DpoEncoder encoder(int maxLength, DpoSettings columns) {
    return new DpoEncoder(TOK, ResponseTemplate.of("dpo", "Q: {prompt}"), maxLength, columns);
  }

  private static DpoEncoder.Encoded encode(DpoEncoder enc, TaskExample... rows) {
    return enc.encode(new TaskReader.Result(List.of(rows), List.of()));
  }

  @Test
  void encodesAsSftCutsThePromptForTheLongerResponseAndSetsRowsAside() {
    // 8 positions predict 9 ids: "ok!!" + end of text = 5 leaves 4 prompt ids ("Q: abcd" -> "abcd")
    DpoEncoder enc = encoder(8, new DpoSettings());
    DpoEncoder.Encoded e =
        encode(
            enc,
            new TaskExample("fits", List.of("ab", "ok", "no"), null),
            new TaskExample("cut", List.of("abcd", "ok!!", "no"), null),
            new TaskExample("same", List.of("ab", "ok", "ok"), null),
            new TaskExample("long", List.of("ab", "123456789", "no"), null));
    assertEquals(2, e.size());
    DpoEncoder.Example fits = e.examples().get(0);
    assertArrayEquals(ids("Q: ab", false), fits.promptIds());
    assertArrayEquals(ids("ok", true), fits.chosen());
    assertArrayEquals(ids("no", true), fits.rejected());
    assertArrayEquals(ids("abcd", false), e.examples().get(1).promptIds());
    assertEquals(1, enc.truncatedPrompts());
    assertEquals(
        List.of(DpoEncoder.IDENTICAL, DpoEncoder.TOO_LONG),
        e.rejected().stream().map(r -> r.reason()).toList());
  }

  private static TaskExample row(String id, String chosen, String rejected, String... reasons) {
    Map<String, String> why = new java.util.HashMap<>();
    if (reasons.length > 0) why.put("chosen_finish_reason", reasons[0]);
    if (reasons.length > 1) why.put("rejected_finish_reason", reasons[1]);
    return new TaskExample(id, List.of("ab", chosen, rejected), null, why);
  }

  @Test
  void aCutResponseGetsNoEndOfTextAndItsLabelsNeverTrainOne() {
    DpoEncoder enc = encoder(16, new DpoSettings());
    DpoEncoder.Encoded e =
        encode(
            enc,
            row("mixed", "ok", "no", "stop", "length"),
            row("sameTextOtherEnd", "ok", "ok", "stop", "length"),
            row("bothEndedByDefault", "ok", "no"),
            row("sameEnd", "ok", "ok", "length", "length"),
            row("unknown", "ok", "no", "eos", "stop"));
    assertEquals(3, e.size());
    DpoEncoder.Example mixed = e.examples().get(0);
    assertArrayEquals(ids("ok", true), mixed.chosen());
    assertArrayEquals(ids("no", false), mixed.rejected());
    assertArrayEquals(ids("ok", false), e.examples().get(1).rejected());
    assertArrayEquals(ids("no", true), e.examples().get(2).rejected());
    assertEquals(2, enc.cutResponses());
    assertEquals(
        List.of(DpoEncoder.IDENTICAL, DpoEncoder.UNKNOWN_FINISH),
        e.rejected().stream().map(r -> r.reason()).toList());

    // the batch the policy trains on (and the reference scores): labels of the ended response
    // hold one <|endoftext|>, those of the cut one none
    int t = 16, eot = TOK.endOfTextId();
    DataSet batch =
        DpoBatch.pairs(
            List.of(new DpoBatch.Pair(mixed.promptIds(), mixed.chosen(), mixed.rejected(), 0, 0)),
            t,
            DataType.FLOAT);
    float[] labels = batch.getLabels().getRow(0).toFloatVector();
    assertEquals(1, count(labels, 0, t, eot));
    assertEquals(0, count(labels, t, 2 * t, eot));
    assertEquals(mixed.rejected().length, t - count(labels, t, 2 * t, -1));

    // "" reads no finish-reason column: every response ended, as for pairs without the columns
    DpoSettings none =
        new DpoSettings().setChosenFinishReasonColumn("").setRejectedFinishReasonColumn("");
    DpoEncoder.Encoded all = encode(encoder(16, none), row("mixed", "ok", "no", "x", "length"));
    assertArrayEquals(ids("no", true), all.examples().get(0).rejected());
  }

  @Test
  void readsTheFinishReasonsPreferencePairsWritesFromAPairsFile(@TempDir Path dir)
      throws Exception {
    Path pairs =
        Files.writeString(
            dir.resolve("pairs.jsonl"),
            "{\"prompt\":\"ab\",\"chosen\":\"ok\",\"rejected\":\"no\","
                + "\"chosen_finish_reason\":\"length\",\"rejected_finish_reason\":\"stop\"}\n"
                + "{\"prompt\":\"ab\",\"chosen\":\"ok\",\"rejected\":\"no\"}\n");
    DpoSettings settings = new DpoSettings();
    TaskSplits files = TaskSplits.read(settings, "train", pairs.toString());
    DpoEncoder.Encoded e = encoder(16, settings).encode(files.rows("train"));
    assertArrayEquals(ids("ok", false), e.examples().get(0).chosen());
    assertArrayEquals(ids("no", true), e.examples().get(0).rejected());
    assertArrayEquals(ids("ok", true), e.examples().get(1).chosen()); // no columns: ended
  }

  private static int count(float[] v, int from, int to, int value) {
    int n = 0;
    for (int i = from; i < to; i++) if (v[i] == value) n++;
    return n;
  }
}
