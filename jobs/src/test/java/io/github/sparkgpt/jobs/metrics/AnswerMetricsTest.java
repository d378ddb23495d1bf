package io.github.sparkgpt.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMetricsTest {
  @Test
  void normalisationDropsCasePunctuationArticlesAndExtraSpace() {
    assertEquals("eiffel tower", AnswerMetrics.normalize("  The Eiffel\tTower! "));
    assertEquals("eiffeltower", AnswerMetrics.normalize("Eiffel-Tower")); // punctuation goes
    assertEquals("apple", AnswerMetrics.normalize("an apple."));
    assertEquals("theatre", AnswerMetrics.normalize("the theatre")); // "the" inside a word stays
  }

  @Test
  void exactMatchIsTheBestOverAcceptedAnswers() {
    assertEquals(1.0, AnswerMetrics.exactMatch("the Paris.", List.of("Paris")));
    assertEquals(0.0, AnswerMetrics.exactMatch("Paris, France", List.of("Paris")));
    assertEquals(1.0, AnswerMetrics.exactMatch("paris france", List.of("Lyon", "Paris, France")));
  }

  @Test
  void tokenF1CountsSharedWordsOnce() {
    // generated {big, red, dog}, reference {red, dog}: p = 2/3, r = 1, F1 = 0.8
    assertEquals(0.8, AnswerMetrics.tokenF1("a big red dog", List.of("the red dog")), 1e-12);
    // repeated words count as often as both sides have them: {dog, dog} vs {dog}: p 1/2, r 1
    assertEquals(2.0 / 3, AnswerMetrics.tokenF1("dog dog", List.of("dog")), 1e-12);
    assertEquals(0.0, AnswerMetrics.tokenF1("cat", List.of("dog")));
    // the best of several accepted answers: 0.8 against the second
    assertEquals(0.8, AnswerMetrics.tokenF1("big red dog", List.of("cat", "red dog")), 1e-12);
    // only articles and punctuation on both sides: both empty, they agree
    assertEquals(1.0, AnswerMetrics.tokenF1("The.", List.of("a")));
    assertEquals(0.0, AnswerMetrics.tokenF1("", List.of("dog")));
  }
}
