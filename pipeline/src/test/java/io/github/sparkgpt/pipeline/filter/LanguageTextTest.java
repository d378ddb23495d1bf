package io.github.sparkgpt.pipeline.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LanguageTextTest {
  @Test
  void chineseJapaneseAndThaiAreSegmentedIntoDictionaryWords() {
    String zh = "中文的词与词之间没有空格。";
    String[] words = LanguageText.words(zh, "zh");
    assertTrue(words.length >= 7, String.join("|", words));
    assertEquals("。", words[words.length - 1]);
    assertEquals(zh, String.join("", words));
    assertArrayEquals(
        new String[] {zh}, LanguageText.words(zh, null), "no language: whitespace words");
    assertTrue(LanguageText.words("日本語の文章を分割します。", "ja").length >= 5);
    assertTrue(LanguageText.words("ภาษาไทยไม่มีช่องว่าง", "th").length >= 3);
    // White space is never a word; Latin words inside Chinese stay whole.
    assertArrayEquals(new String[] {"在", "Debian", "中"}, LanguageText.words("在 Debian 中", "zh"));
    assertEquals(1, TextUnits.of(zh).wordCount());
    assertEquals(words.length, TextUnits.of(zh, "zh").wordCount());
  }

  @Test
  void terminalPunctuationFollowsTheScript() {
    for (String line : new String[] {"好的。", "真的吗？", "太好了！", "全角句点．", "他说：“走吧。”", "「走吧」", "等一下……"}) {
      assertTrue(LanguageText.endsWithTerminalPunct(line, "zh"), line);
      assertFalse(LanguageText.endsWithTerminalPunct(line, "en"), line);
    }
    assertTrue(LanguageText.endsWithTerminalPunct("Fin.", "fr"));
    assertTrue(LanguageText.endsWithTerminalPunct("« Allons-y »", "fr"));
    assertFalse(LanguageText.endsWithTerminalPunct("wait...", "zh"));
    assertFalse(LanguageText.endsWithTerminalPunct("no end", "zh"));
  }

  @Test
  void sentencesEndAtChineseMarks() {
    assertEquals(4, LanguageText.countSentences("今天很好。你来吗？来！全角句点．", "zh"));
    assertEquals(2, LanguageText.countSentences("One. Two.", null));
  }
}
