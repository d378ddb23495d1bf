package io.github.sparkgpt.jobs.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.task.ResponseTemplate;
import io.github.sparkgpt.model.GptLmLayer;
import io.github.sparkgpt.pipeline.task.TaskExample;
import io.github.sparkgpt.pipeline.task.TaskReader;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class SftEncoderTest {
  // bytes, the special tokens and a merge ("zz") these texts never use: one token per character
  private static final BpeTokenizer TOK =
      new BpeTrainer().setVocabSize(261).trainOnCounts(Map.of("zz", 1L));
  private static final ResponseTemplate TEMPLATE = ResponseTemplate.of("sft", "Q: {prompt}\nA: ");
  private static final int I = GptLmLayer.IGNORE;

  private static int id(char c) {
    return TOK.encode(String.valueOf(c))[0];
  }

  private static TaskReader.Result rows(TaskExample... rows) {
    return new TaskReader.Result(List.of(rows), List.of());
  }

  @Test
  void responseTokensAndTheEndOfTextCarryLabelsPromptPositionsAreIgnored() {
    SftEncoder enc = new SftEncoder(TOK, TEMPLATE, 16);
    SftEncoder.Encoded e =
        enc.encode(rows(new TaskExample("r1", List.of("hi", "ok", "OK!"), null)));
    SftEncoder.Example ex = e.examples().get(0);
    int eot = TOK.endOfTextId();
    int[] expected = new int[12];
    String text = "Q: hi\nA: ok";
    for (int i = 0; i < text.length(); i++) expected[i] = id(text.charAt(i));
    expected[11] = eot;
    assertArrayEquals(expected, ex.tokens());
    assertEquals(9, ex.promptTokens());
    assertEquals(List.of("ok", "OK!"), ex.answers()); // trained on the first, scored against all

    DataSet ds = SftBatches.batch(List.of(ex), 13, false);
    float[] labels = ds.getLabels().getRow(0).toFloatVector();
    float[] want = {I, I, I, I, I, I, I, I, id('o'), id('k'), eot, I, I};
    assertArrayEquals(want, labels);
    float[] features = ds.getFeatures().getRow(0).toFloatVector();
    for (int t = 0; t < 11; t++) assertEquals(expected[t], features[t]);

    // prompt_loss_weight = 1: every next token counts
    float[] all = SftBatches.batch(List.of(ex), 13, true).getLabels().getRow(0).toFloatVector();
    for (int t = 0; t < 11; t++) assertEquals(expected[t + 1], all[t]);
    assertEquals(I, all[11]);
  }

  @Test
  void aLongPromptLosesTokensFromTheLeftNeverTheResponse() {
    // 8 positions = 9 tokens: response "ok" + end of text leave 6 prompt tokens of "Q: hello\nA: "
    SftEncoder enc = new SftEncoder(TOK, TEMPLATE, 8);
    SftEncoder.Encoded e = enc.encode(rows(new TaskExample("r", List.of("hello", "ok"), null)));
    SftEncoder.Example ex = e.examples().get(0);
    assertEquals(9, ex.tokens().length);
    assertEquals(6, ex.promptTokens());
    assertArrayEquals(TOK.encode("lo\nA: "), java.util.Arrays.copyOfRange(ex.tokens(), 0, 6));
    assertEquals(id('o'), ex.tokens()[6]);
    assertEquals(id('k'), ex.tokens()[7]);
    assertEquals(TOK.endOfTextId(), ex.tokens()[8]);
    assertEquals(1, enc.truncatedPrompts());
  }

  @Test
  void aResponseThatDoesNotFitWithOnePromptTokenIsRejected() {
    SftEncoder enc = new SftEncoder(TOK, TEMPLATE, 4);
    SftEncoder.Encoded e =
        enc.encode(
            rows(
                new TaskExample("fits", List.of("x", "abc"), null), // 1 prompt + 3 + eot = 5
                new TaskExample("long", List.of("x", "abcd"), null)));
    assertEquals(1, e.size());
    assertEquals(1, e.examples().get(0).promptTokens());
    assertEquals("long", e.rejected().get(0).id());
    assertEquals(SftEncoder.RESPONSE_TOO_LONG, e.rejected().get(0).reason());
  }

  @Test
  void aTemplateNeedsItsPromptSlotOnce() {
    assertThrows(UsageException.class, () -> ResponseTemplate.of("sft", "Answer: "));
    assertThrows(UsageException.class, () -> ResponseTemplate.of("sft", "{prompt} {prompt}"));
    assertEquals("<<x>>", ResponseTemplate.of("sft", "<<{prompt}>>").render("x"));
  }
}
