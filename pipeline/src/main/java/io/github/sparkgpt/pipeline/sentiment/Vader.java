package io.github.sparkgpt.pipeline.sentiment;

import static io.github.sparkgpt.pipeline.sentiment.VaderWords.*;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * A Java port of the VADER sentiment scorer (npm {@code vader-sentiment} 1.1.3, Apache-2.0): a
 * lexicon of word valences plus rules for boosters and dampeners, negation, "least", "but", ALL
 * CAPS, idioms and ! / ? emphasis, summed and normalised to a compound score in [-1, 1]. The port
 * keeps the package's behaviour where it differs from the Python original (e.g. one-character
 * tokens are dropped; the "so"/"this" check three words back), so its published scores reproduce.
 * An independent sentiment judge: it knows nothing of the project's classifier.
 */
public final class Vader implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Normalisation constant: compound = s / sqrt(s^2 + ALPHA). */
  static final double ALPHA = 15;

  private final VaderLexicon lexicon;

  public Vader(VaderLexicon lexicon) {
    this.lexicon = lexicon;
  }

  public VaderScores score(String text) {
    List<String> words = VaderText.wordsAndEmoticons(text);
    boolean capDiff = VaderText.allCapDifferential(words);
    double[] sentiments = new double[words.size()];
    for (int i = 0; i < words.size(); i++) {
      String lower = lower(words.get(i));
      boolean kindOf =
          i < words.size() - 1 && lower.equals("kind") && lower(words.get(i + 1)).equals("of");
      if (!kindOf && !BOOSTER.containsKey(lower)) sentiments[i] = valence(words, i, capDiff);
    }
    butCheck(words, sentiments);
    return scoreValence(sentiments, text);
  }

  private double valence(List<String> words, int i, boolean capDiff) {
    String item = words.get(i);
    if (!lexicon.contains(lower(item))) return 0;
    double v = lexicon.valence(lower(item));
    if (VaderText.isUpper(item) && capDiff) v += v > 0 ? C_INCR : -C_INCR;
    for (int back = 0; back < 3; back++) {
      if (i > back && !lexicon.contains(lower(words.get(i - back - 1)))) {
        // a booster's effect fades with its distance from the word
        double s = scalarIncDec(words.get(i - back - 1), v, capDiff);
        if (back == 1 && s != 0) s *= 0.95;
        else if (back == 2 && s != 0) s *= 0.9;
        v = neverCheck(v + s, words, back, i);
        if (back == 2) v = idiomsCheck(v, words, i);
      }
    }
    return leastCheck(v, words, i);
  }

  private static double scalarIncDec(String word, double valence, boolean capDiff) {
    Double b = BOOSTER.get(lower(word));
    if (b == null) return 0;
    double scalar = valence < 0 ? -b : b;
    if (capDiff && VaderText.isUpper(word)) scalar += valence > 0 ? C_INCR : -C_INCR;
    return scalar;
  }

  private static boolean negated(String word) {
    return NEGATE.contains(word) || word.contains("n't");
  }

  private static boolean soOrThis(String word) {
    return word.equals("so") || word.equals("this");
  }

  /** Negation within three words back; "never so/this" intensifies instead. */
  private static double neverCheck(double v, List<String> w, int back, int i) {
    if (back == 0) return negated(w.get(i - 1)) ? v * N_SCALAR : v;
    if (back == 1) {
      if (w.get(i - 2).equals("never") && soOrThis(w.get(i - 1))) return v * 1.5;
      return negated(w.get(i - 2)) ? v * N_SCALAR : v;
    }
    if ((w.get(i - 3).equals("never") && soOrThis(w.get(i - 2))) || soOrThis(w.get(i - 1))) {
      return v * 1.25;
    }
    return negated(w.get(i - 3)) ? v * N_SCALAR : v;
  }

  private static double idiomsCheck(double v, List<String> w, int i) {
    String oneZero = w.get(i - 1) + " " + w.get(i);
    String twoOneZero = w.get(i - 2) + " " + oneZero;
    String twoOne = w.get(i - 2) + " " + w.get(i - 1);
    String threeTwoOne = w.get(i - 3) + " " + twoOne;
    String threeTwo = w.get(i - 3) + " " + w.get(i - 2);
    for (String seq : List.of(oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo)) {
      if (IDIOMS.containsKey(seq)) {
        v = IDIOMS.get(seq);
        break;
      }
    }
    if (w.size() - 1 > i) v = IDIOMS.getOrDefault(w.get(i) + " " + w.get(i + 1), v);
    if (w.size() - 1 > i + 1) {
      v = IDIOMS.getOrDefault(w.get(i) + " " + w.get(i + 1) + " " + w.get(i + 2), v);
    }
    // booster or dampener bigrams such as "kind of" before the word
    if (BOOSTER.containsKey(threeTwo) || BOOSTER.containsKey(twoOne)) v += B_DECR;
    return v;
  }

  /** "least" before a word negates it, except in "at least" and "very least". */
  private double leastCheck(double v, List<String> w, int i) {
    boolean least = i > 0 && lower(w.get(i - 1)).equals("least") && !lexicon.contains("least");
    if (least && i > 1) {
      String before = lower(w.get(i - 2));
      return before.equals("at") || before.equals("very") ? v : v * N_SCALAR;
    }
    return least ? v * N_SCALAR : v;
  }

  /** Words before the first "but" count half, words after it one and a half times. */
  private static void butCheck(List<String> words, double[] sentiments) {
    int but = words.indexOf("but");
    if (but < 0) but = words.indexOf("BUT");
    if (but < 0) return;
    for (int i = 0; i < sentiments.length; i++) {
      if (i < but) sentiments[i] *= 0.5;
      else if (i > but) sentiments[i] *= 1.5;
    }
  }

  private static VaderScores scoreValence(double[] sentiments, String text) {
    if (sentiments.length == 0) return VaderScores.NONE;
    double sum = 0, posSum = 0, negSum = 0;
    int neutral = 0;
    for (double s : sentiments) {
      sum += s;
      // +-1 per sentiment word, as neutral words count 1 each
      if (s > 0) posSum += s + 1;
      else if (s < 0) negSum += s - 1;
      else neutral++;
    }
    double emphasis = punctuationEmphasis(text);
    if (sum > 0) sum += emphasis;
    else if (sum < 0) sum -= emphasis;
    if (posSum > Math.abs(negSum)) posSum += emphasis;
    else if (posSum < Math.abs(negSum)) negSum -= emphasis;
    double total = posSum + Math.abs(negSum) + neutral;
    return new VaderScores(
        round(Math.abs(negSum / total), 3),
        round(Math.abs(neutral / total), 3),
        round(Math.abs(posSum / total), 3),
        round(normalize(sum), 4));
  }

  /** Up to 4 "!" add 0.292 each; 2-3 "?" add 0.18 each, more add 0.96. */
  static double punctuationEmphasis(String text) {
    long exclamations = text.chars().filter(c -> c == '!').count();
    long questions = text.chars().filter(c -> c == '?').count();
    double ep = Math.min(exclamations, 4) * 0.292;
    double qm = questions <= 1 ? 0 : questions <= 3 ? questions * 0.18 : 0.96;
    return ep + qm;
  }

  static double normalize(double score) {
    double norm = score / Math.sqrt(score * score + ALPHA);
    return Math.max(-1.0, Math.min(1.0, norm));
  }

  /** JavaScript's toFixed: the exact binary value rounded half away from zero. */
  private static double round(double x, int digits) {
    return new BigDecimal(x).setScale(digits, RoundingMode.HALF_UP).doubleValue();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
