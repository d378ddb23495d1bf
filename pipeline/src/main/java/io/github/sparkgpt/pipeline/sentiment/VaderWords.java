package io.github.sparkgpt.pipeline.sentiment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** VADER's fixed word lists and constants, as in npm {@code vader-sentiment} 1.1.3. */
final class VaderWords {

  private VaderWords() {}

  /** Mean intensity change of a booster (+) or dampener (-) word, measured by VADER's authors. */
  static final double B_INCR = 0.293;

  static final double B_DECR = -0.293;

  /** Intensity added to a word in ALL CAPS among words that are not. */
  static final double C_INCR = 0.733;

  /** Multiplier of a negated valence. */
  static final double N_SCALAR = -0.74;

  /** Punctuation that, before or after a word, is stripped from it. */
  static final List<String> PUNC_LIST =
      List.of(
          ".", "!", "?", ",", ";", ":", "-", "'", "\"", "!!", "!!!", "??", "???", "?!?", "!?!",
          "?!?!", "!?!?");

  static final Set<String> NEGATE =
      Set.of(
          "aint",
          "arent",
          "cannot",
          "cant",
          "couldnt",
          "darent",
          "didnt",
          "doesnt",
          "ain't",
          "aren't",
          "can't",
          "couldn't",
          "daren't",
          "didn't",
          "doesn't",
          "dont",
          "hadnt",
          "hasnt",
          "havent",
          "isnt",
          "mightnt",
          "mustnt",
          "neither",
          "don't",
          "hadn't",
          "hasn't",
          "haven't",
          "isn't",
          "mightn't",
          "mustn't",
          "neednt",
          "needn't",
          "never",
          "none",
          "nope",
          "nor",
          "not",
          "nothing",
          "nowhere",
          "oughtnt",
          "shant",
          "shouldnt",
          "uhuh",
          "wasnt",
          "werent",
          "oughtn't",
          "shan't",
          "shouldn't",
          "uh-uh",
          "wasn't",
          "weren't",
          "without",
          "wont",
          "wouldnt",
          "won't",
          "wouldn't",
          "rarely",
          "seldom",
          "despite");

  /** Boosters and dampeners (degree adverbs) -> their intensity change. */
  static final Map<String, Double> BOOSTER = boosters();

  /** Idioms whose valence replaces that of the sentiment word inside them. */
  static final Map<String, Double> IDIOMS =
      Map.of(
          "the shit", 3.0,
          "the bomb", 3.0,
          "bad ass", 1.5,
          "yeah right", -2.0,
          "cut the mustard", 2.0,
          "kiss of death", -1.5,
          "hand to mouth", -2.0);

  private static Map<String, Double> boosters() {
    Map<String, Double> m = new HashMap<>();
    for (String w :
        List.of(
            "absolutely",
            "amazingly",
            "awfully",
            "completely",
            "considerably",
            "decidedly",
            "deeply",
            "effing",
            "enormously",
            "entirely",
            "especially",
            "exceptionally",
            "extremely",
            "fabulously",
            "flipping",
            "flippin",
            "fricking",
            "frickin",
            "frigging",
            "friggin",
            "fully",
            "fucking",
            "greatly",
            "hella",
            "highly",
            "hugely",
            "incredibly",
            "intensely",
            "majorly",
            "more",
            "most",
            "particularly",
            "purely",
            "quite",
            "really",
            "remarkably",
            "so",
            "substantially",
            "thoroughly",
            "totally",
            "tremendously",
            "uber",
            "unbelievably",
            "unusually",
            "utterly",
            "very")) {
      m.put(w, B_INCR);
    }
    for (String w :
        List.of(
            "almost",
            "barely",
            "hardly",
            "just enough",
            "kind of",
            "kinda",
            "kindof",
            "kind-of",
            "less",
            "little",
            "marginally",
            "occasionally",
            "partly",
            "scarcely",
            "slightly",
            "somewhat",
            "sort of",
            "sorta",
            "sortof",
            "sort-of")) {
      m.put(w, B_DECR);
    }
    return Map.copyOf(m);
  }
}
