package io.github.sparkgpt.jobs.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.jobs.fewshot.PromptBuilder.Prompt;
import io.github.sparkgpt.pipeline.task.TaskType;
import io.github.sparkgpt.pipeline.tokenizer.BpeTokenizer;
import io.github.sparkgpt.pipeline.tokenizer.BpeTrainer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prompt text and tokens for every task with K = 0 and K = 2, and fitting into a small context. */
class PromptBuilderTest {
  private static final BpeTokenizer TOK =
      new BpeTrainer()
          .setVocabSize(300)
          .trainOnCounts(
              Map.of(" positive", 9L, " negative", 9L, "Answer", 7L, " food", 5L, "\n\n", 4L));
  private static final int EOT = TOK.specialTokenId("<|endoftext|>");
  private static final String CLASSIFY = "{text}\nAnswer: {label}";

  @Test
  void classificationZeroAndTwoShotText() {
    PromptTemplate t = new PromptTemplate(TaskType.CLASSIFICATION, CLASSIFY);
    PromptBuilder b = new PromptBuilder(TOK, "\n\n", EOT, 128);
    List<String> query = List.of("  great food ");
    assertEquals("great food\nAnswer:", b.text(List.of(), t.queryPrefix(query)));
    assertEquals(" positive", t.candidateText(query, "positive"));
    List<String> shots =
        List.of(
            t.demonstration(List.of("bad service"), "negative"),
            t.demonstration(List.of("nice place"), "positive"));
    assertEquals(
        "bad service\nAnswer: negative\n\nnice place\nAnswer: positive\n\ngreat food\nAnswer:",
        b.text(shots, t.queryPrefix(query)));
  }

  @Test
  void entailmentSimilarityAndMultipleChoiceText() {
    PromptTemplate e =
        new PromptTemplate(
            TaskType.ENTAILMENT,
            "{premise}\nQuestion: {hypothesis} True or False?\nAnswer: {label}");
    List<String> pair = List.of("A man sleeps.", "A person rests.");
    assertEquals(
        "A man sleeps.\nQuestion: A person rests. True or False?\nAnswer:", e.queryPrefix(pair));
    assertEquals(
        "A man sleeps.\nQuestion: A person rests. True or False?\nAnswer: True",
        e.demonstration(pair, "True"));

    PromptTemplate s =
        new PromptTemplate(TaskType.SIMILARITY, "{text_a}\nSame as \"{text_b}\"? {label}");
    assertEquals("b\nSame as \"a\"?", s.queryPrefix(List.of("b", "a")));
    assertEquals(" Yes", s.candidateText(List.of("b", "a"), "Yes"));

    PromptTemplate mc = new PromptTemplate(TaskType.MULTIPLE_CHOICE, "{context} {answer}");
    List<String> q = List.of("The sky is", "blue", "green");
    PromptBuilder b = new PromptBuilder(TOK, "\n\n", EOT, 128);
    assertEquals("The sky is", mc.queryPrefix(q));
    assertEquals(" green", mc.candidateText(q, "green"));
    List<String> shots =
        List.of(
            mc.demonstration(List.of("Grass is", "green", "red"), "green"),
            mc.demonstration(List.of("Snow is", "white", "black"), "white"));
    assertEquals("Grass is green\n\nSnow is white\n\nThe sky is", b.text(shots, mc.queryPrefix(q)));

    // text after the candidate is part of demonstrations, not of the scored query
    PromptTemplate suffix =
        new PromptTemplate(TaskType.CLASSIFICATION, "Review: {text}\nIt was {label}. ({text})");
    assertEquals("Review: ok\nIt was good. (ok)", suffix.demonstration(List.of("ok"), "good"));
    assertEquals("Review: ok\nIt was", suffix.queryPrefix(List.of("ok")));
  }

  @Test
  void badTemplatesAreRefusedWithTheAllowedPlaceholders() {
    IllegalArgumentException x =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PromptTemplate(TaskType.ENTAILMENT, "{text} {label}"));
    assertTrue(x.getMessage().contains("{premise}, {hypothesis}, {label}"), x.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromptTemplate(TaskType.CLASSIFICATION, "{text} only"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PromptTemplate(TaskType.CLASSIFICATION, "{label} {text} {label}"));
  }

  @Test
  void tokensAreTheConcatenatedPiecesZeroAndTwoShot() throws Exception {
    PromptTemplate t = new PromptTemplate(TaskType.CLASSIFICATION, CLASSIFY);
    PromptBuilder b = new PromptBuilder(TOK, "\n\n", EOT, 128);
    String s1 = t.demonstration(List.of("bad food"), "negative"),
        s2 = t.demonstration(List.of("good food"), "positive");
    String q = t.queryPrefix(List.of("great food"));
    List<String> cands =
        List.of(
            t.candidateText(List.of("x"), "negative"), t.candidateText(List.of("x"), "positive"));

    Prompt zero = b.build(List.of(), q, cands);
    assertArrayEquals(concat(new int[] {EOT}, TOK.encode("great food\nAnswer:")), zero.context());
    assertArrayEquals(TOK.encode(" negative"), zero.candidates()[0]);
    assertArrayEquals(TOK.encode(" positive"), zero.candidates()[1]);
    assertEquals(1, TOK.encode(" positive").length); // learned as one token above
    assertEquals(0, zero.shots());

    Prompt two = b.build(List.of(s1, s2), q, cands);
    int[] sep = TOK.encode("\n\n");
    assertArrayEquals(
        concat(new int[] {EOT}, TOK.encode(s1), sep, TOK.encode(s2), sep, TOK.encode(q)),
        two.context());
    assertEquals(2, two.shots());
    assertFalse(two.truncated());
    assertEquals(0, b.shotsDropped());

    PromptBuilder noStart = new PromptBuilder(TOK, "\n\n", -1, 128);
    assertArrayEquals(
        TOK.encode("great food\nAnswer:"), noStart.build(List.of(), q, cands).context());
  }

  @Test
  void shotsAreDroppedFromTheFrontThenTheQueryIsCutFromTheLeft() throws Exception {
    PromptTemplate t = new PromptTemplate(TaskType.CLASSIFICATION, CLASSIFY);
    String s1 = t.demonstration(List.of("bad food"), "negative"),
        s2 = t.demonstration(List.of("good food"), "positive");
    String q = t.queryPrefix(List.of("great food and more food"));
    List<String> cands =
        List.of(" negative", " positive ok"); // longest: 2 tokens, so the model reads prompt + 1
    int[] sep = TOK.encode("\n\n"), qt = TOK.encode(q);
    int longest = TOK.encode(" positive ok").length;
    int full =
        1 + TOK.encode(s1).length + sep.length + TOK.encode(s2).length + sep.length + qt.length;

    // one token too many: the first shot goes, the second stays
    PromptBuilder b = new PromptBuilder(TOK, "\n\n", EOT, full - 1 + longest - 1);
    Prompt p = b.build(List.of(s1, s2), q, cands);
    assertArrayEquals(concat(new int[] {EOT}, TOK.encode(s2), sep, qt), p.context());
    assertEquals(1, p.shots());
    assertEquals(1, p.shotsDropped());
    assertTrue(p.context().length + longest - 1 <= full - 1 + longest - 1);

    // room for the start token and all but 2 query tokens: both shots go, the query loses its first
    // 2 tokens
    int context = 1 + qt.length - 2 + longest - 1;
    b = new PromptBuilder(TOK, "\n\n", EOT, context);
    p = b.build(List.of(s1, s2), q, cands);
    assertArrayEquals(concat(new int[] {EOT}, Arrays.copyOfRange(qt, 2, qt.length)), p.context());
    assertEquals(2, p.shotsDropped());
    assertTrue(p.truncated());
    assertEquals(context, p.context().length + longest - 1); // exactly the model's context
    b.build(List.of(s1, s2), q, cands);
    assertEquals(4, b.shotsDropped());
    assertEquals(2, b.truncated());

    // a candidate as long as the context leaves no room at all
    PromptBuilder tiny = new PromptBuilder(TOK, "\n\n", EOT, longest);
    assertThrows(PromptBuilder.TooLong.class, () -> tiny.build(List.of(), q, cands));
  }

  private static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }
}
