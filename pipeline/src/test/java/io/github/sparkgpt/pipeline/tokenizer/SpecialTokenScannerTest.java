package io.github.sparkgpt.pipeline.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecialTokenScannerTest {
  private static List<String> scan(String text, String... names) {
    SpecialTokenScanner s = new SpecialTokenScanner(text, names);
    List<String> found = new ArrayList<>();
    for (int pos = 0; s.find(pos); pos = s.start() + s.name().length())
      found.add(s.start() + ":" + s.name());
    return found;
  }

  @Test
  void earliestFirstLongestOnATieAndNoOverlaps() {
    assertEquals(List.of("1:<a>", "5:<ab>", "9:<a>"), scan("x<a>y<ab><a>", "<a>", "<ab>", "<b>"));
    assertEquals(List.of("0:<s><s>", "6:<s>"), scan("<s><s><s>", "<s>", "<s><s>"));
    assertEquals(
        List.of("0:<|endoftext|>", "14:<|endoftext|>"),
        scan("<|endoftext|>a<|endoftext|>", "<|endoftext|>"));
  }

  @Test
  void nothingToFind() {
    assertEquals(List.of(), scan("plain text", "<a>"));
    SpecialTokenScanner s = new SpecialTokenScanner("<a>", new String[] {"<a>"});
    assertTrue(s.find(0));
    assertFalse(s.find(1), "an occurrence before pos is not found again");
  }
}
