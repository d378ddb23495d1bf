package io.github.sparkgpt.pipeline.sentiment;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaderTest {

  /**
   * The lines of npm vader-sentiment 1.1.3's vader_lexicon.txt (Apache-2.0) for every word of the
   * sentences below, in file order; "lol" and "ok" are listed twice there, as here.
   */
  static final String[] LEXICON_LINES = {
    ":)\t2.0\t1.18322\t[2, 2, 1, 1, 1, 1, 4, 3, 4, 1]",
    ":d\t2.3\t1.1\t[4, 2, 2, 1, 2, 1, 4, 3, 3, 1]",
    "fu\t-3.7\t0.45826\t[-3, -4, -4, -3, -3, -4, -4, -4, -4, -4]",
    "gg\t1.2\t0.74833\t[0, 2, 2, 1, 0, 1, 2, 2, 1, 1]",
    "l\t2.0\t0.7746\t[2, 1, 2, 3, 2, 3, 1, 3, 2, 1]",
    "lol\t2.9\t0.83066\t[4, 2, 2, 2, 4, 2, 3, 3, 4, 3]",
    "ly\t2.6\t0.91652\t[2, 2, 1, 3, 4, 4, 3, 2, 2, 3]",
    "ok\t1.6\t1.42829\t[0, 0, 1, 1, 1, 4, 3, 4, 1, 1]",
    "bad\t-2.5\t0.67082\t[-3, -2, -4, -3, -2, -2, -3, -2, -2, -2]",
    "bomb\t-2.2\t0.87178\t[-2, -2, -1, -3, -4, -3, -2, -1, -2, -2]",
    "compelling\t0.9\t0.94339\t[1, 1, 1, 0, 1, 2, 2, -1, 2, 0]",
    "fun\t2.3\t0.45826\t[2, 3, 2, 3, 2, 2, 3, 2, 2, 2]",
    "funny\t1.9\t0.53852\t[3, 2, 2, 1, 2, 2, 1, 2, 2, 2]",
    "good\t1.9\t0.9434\t[2, 1, 1, 3, 2, 4, 2, 2, 1, 1]",
    "great\t3.1\t0.7\t[2, 4, 4, 4, 3, 3, 3, 3, 2, 3]",
    "handsome\t2.2\t0.74833\t[2, 2, 2, 2, 2, 3, 4, 1, 2, 2]",
    "horrible\t-2.5\t0.67082\t[-2, -2, -3, -2, -2, -4, -3, -3, -2, -2]",
    "kind\t2.4\t0.66332\t[2, 2, 3, 3, 2, 3, 3, 2, 1, 3]",
    "lol\t1.8\t1.46969\t[1, 3, 4, 1, 2, 4, 1, 2, -1, 1]",
    "no\t-1.2\t0.74833\t[-1, -1, -1, -1, -1, -1, 0, -1, -2, -3]",
    "ok\t1.2\t0.4\t[1, 2, 1, 1, 1, 1, 2, 1, 1, 1]",
    "rig\t-0.5\t1.0247\t[0, 0, 0, 0, -2, 0, 0, 0, -3, 0]",
    "smart\t1.7\t0.78102\t[2, 2, 1, 2, 1, 3, 2, 0, 2, 2]",
    "sure\t1.3\t0.64031\t[1, 1, 3, 1, 1, 2, 1, 1, 1, 1]",
    "sux\t-1.5\t0.92195\t[-1, -1, -2, -1, -2, -1, -3, 0, -3, -1]",
    "uncompelling\t-0.9\t0.7\t[0, -2, -1, 0, -1, -1, -1, 0, -1, -2]"
  };

  private static Vader vader;

  @BeforeAll
  static void readLexicon(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vader_lexicon.txt");
    Files.writeString(file, String.join("\n", LEXICON_LINES) + "\n", StandardCharsets.UTF_8);
    VaderLexicon lexicon = VaderLexicon.read(file.toUri().toString(), new Configuration());
    assertEquals(24, lexicon.size());
    assertEquals(1.8, lexicon.valence("lol"), "a token listed twice keeps its last value");
    vader = new Vader(lexicon);
  }

  /** The package's own test sentences with its expected neg, neu, pos and compound scores. */
  @Test
  void reproducesThePackagesTestSentences() {
    String[][] expected = {
      {"VADER is smart, handsome, and funny.", "0", "0.254", "0.746", "0.8316"},
      {"VADER is not smart, handsome, nor funny.", "0.646", "0.354", "0", "-0.7424"},
      {"VADER is smart, handsome, and funny!", "0", "0.248", "0.752", "0.8439"},
      {"VADER is very smart, handsome, and funny.", "0", "0.299", "0.701", "0.8545"},
      {"VADER is VERY SMART, handsome, and FUNNY.", "0", "0.246", "0.754", "0.9227"},
      {"VADER is VERY SMART, handsome, and FUNNY!!!", "0", "0.233", "0.767", "0.9342"},
      {"VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", "0", "0.294", "0.706", "0.9469"},
      {"The book was good.", "0", "0.508", "0.492", "0.4404"},
      {"The book was kind of good.", "0", "0.657", "0.343", "0.3832"},
      {
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        "0.327",
        "0.579",
        "0.094",
        "-0.7042"
      },
      {"At least it isn't a horrible book.", "0", "0.637", "0.363", "0.431"},
      {"Make sure you :) or :D today!", "0", "0.294", "0.706", "0.8633"},
      {"Today SUX!", "0.779", "0.221", "0", "-0.5461"},
      {"Today only kinda sux! But I'll get by, lol", "0.179", "0.569", "0.251", "0.2228"}
    };
    for (String[] e : expected) {
      VaderScores s = vader.score(e[0]);
      assertEquals(
          new VaderScores(
              Double.parseDouble(e[1]),
              Double.parseDouble(e[2]),
              Double.parseDouble(e[3]),
              Double.parseDouble(e[4])),
          s,
          e[0]);
    }
  }

  private static double compound(double sum) {
    return Math.round(sum / Math.sqrt(sum * sum + 15) * 1e4) / 1e4;
  }

  @Test
  void compoundScoresComputedByHand() {
    // good = 1.9; no other word has a valence; "." is stripped
    assertEquals(compound(1.9), vader.score("The book was good.").compound());
    assertEquals(0.4404, compound(1.9));
    // "not" right before: 1.9 x -0.74
    assertEquals(compound(1.9 * -0.74), vader.score("The book was not good.").compound());
    // VERY in caps among lower-case words: booster 0.293 + caps 0.733
    assertEquals(compound(1.9 + 0.293 + 0.733), vader.score("The food is VERY good").compound());
    // "but": good counts half, bad (-2.5) one and a half times
    assertEquals(
        compound(1.9 * 0.5 - 2.5 * 1.5),
        vader.score("The food is good but the service is bad").compound());
    // two "!" add 0.292 each
    assertEquals(compound(1.9 + 2 * 0.292), vader.score("good!!").compound());
    // "so" boosts (+0.293), "never so" multiplies by 1.5, "so" just before by 1.25 more
    assertEquals(
        compound((1.9 + 0.293) * 1.5 * 1.25), vader.score("It was never so good").compound());
    // the idiom "the bomb" replaces bomb's -2.2 by 3; three "!" add 0.876
    assertEquals(compound(3 + 3 * 0.292), vader.score("It is the bomb!!!").compound());
    // the package's negation list is lower case: "Not" does not negate; two "?" add 0.36
    assertEquals(compound(-2.5 - 2 * 0.18), vader.score("Not bad at all??").compound());
    assertEquals(VaderScores.NONE, vader.score("a b c"), "one-character tokens are dropped");
    assertEquals(VaderScores.NONE, vader.score(""));
  }

  @Test
  void refusesAMalformedLexicon() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> VaderLexicon.parse(new StringReader("good\t1.9\nbad\tminus\n"), "lex.txt"));
    assertEquals("lex.txt line 2: expected token TAB valence, got: bad\tminus", e.getMessage());
    assertThrows(IOException.class, () -> VaderLexicon.parse(new StringReader("\n"), "empty"));
    assertThrows(
        IllegalArgumentException.class,
        () -> VaderLexicon.read("/nonexistent/vader_lexicon.txt", new Configuration()));
  }
}
