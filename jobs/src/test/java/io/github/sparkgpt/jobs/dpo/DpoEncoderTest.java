package io.github.sparkgpt.jobs.dpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  @Test
  void encodesAsSftCutsThePromptForTheLongerResponseAndSetsRowsAside() {
    // 8 positions predict 9 ids: "ok!!" + end of text = 5 leaves 4 prompt ids ("Q: abcd" -> "abcd")
    DpoEncoder enc = new DpoEncoder(TOK, ResponseTemplate.of("dpo", "Q: {prompt}"), 8);
    DpoEncoder.Encoded e =
        enc.encode(
            new TaskReader.Result(
                List.of(
                    new TaskExample("fits", List.of("ab", "ok", "no"), null),
                    new TaskExample("cut", List.of("abcd", "ok!!", "no"), null),
                    new TaskExample("same", List.of("ab", "ok", "ok"), null),
                    new TaskExample("long", List.of("ab", "123456789", "no"), null)),
                List.of()));
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
}
