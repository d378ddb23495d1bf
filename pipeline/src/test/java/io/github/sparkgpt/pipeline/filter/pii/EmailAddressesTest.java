package io.github.sparkgpt.pipeline.filter.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.StageCounters;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EmailAddressesTest {
  /**
   * The pattern the scan replaces; it recurses per repetition and overflows the stack on long
   * dotted runs.
   */
  private static final Pattern REGEX =
      Pattern.compile(
          "[\\p{L}\\p{N}_%+-]+(?:\\.[\\p{L}\\p{N}_%+-]+)*"
              + "@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,24}");

  @Test
  void agreesWithTheRegexOnRandomCandidates() {
    String alphabet = "aZ9._%+-@é\u0661\u2160x.-@";
    Random rnd = new Random(11);
    int accepted = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder sb = new StringBuilder();
      if (n % 2 == 0) { // characters at random
        int len = 1 + rnd.nextInt(14);
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      } else { // address-shaped: pieces joined by dots around one '@', often valid
        String[] pieces = {"a", "Z9", "é", "-", "_x", "\u0661", "Ⅰ", "", "org", "b-c", "q%+"};
        int parts = 1 + rnd.nextInt(5);
        int atPart = rnd.nextInt(parts + 1);
        for (int i = 0; i < parts; i++) {
          if (i > 0) sb.append(i == atPart ? "@" : ".");
          sb.append(pieces[rnd.nextInt(pieces.length)]);
        }
      }
      String s = sb.toString();
      boolean expected = REGEX.matcher(s).matches();
      assertEquals(expected, EmailAddresses.isAddress(s), s);
      if (expected) accepted++;
    }
    assertTrue(accepted > 500, "the sample exercises accepted addresses too: " + accepted);
    // Label and top-level domain lengths.
    assertTrue(EmailAddresses.isAddress("a@" + "b".repeat(63) + ".org"));
    assertFalse(EmailAddresses.isAddress("a@" + "b".repeat(64) + ".org"));
    assertTrue(EmailAddresses.isAddress("a@b." + "c".repeat(24)));
    assertFalse(EmailAddresses.isAddress("a@b." + "c".repeat(25)));
    assertTrue(EmailAddresses.isAddress("\uD835\uDC00@b.cd"), "a supplementary letter is a letter");
  }

  @Test
  void longDottedRunsNeitherOverflowTheStackNorTakeLong() {
    String dotted = "a.".repeat(200_000);
    String text = "see " + dotted + "@ and " + dotted + "a@example.com then " + dotted + "a@";
    long t0 = System.nanoTime();
    StageCounters c = new StageCounters();
    Document out = new PiiRedactor().apply(Document.of("d", "s", text), c).document();
    assertEquals("see " + dotted + "@ and email@example.com then " + dotted + "a@", out.text());
    assertEquals(1, c.get("pii_email"));
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "linear time");
  }
}
