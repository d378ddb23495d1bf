package io.github.sparkgpt.pipeline.filter.quality;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.TextUnits;
import java.util.List;

/**
 * Gopher repetition rules (Rae et al. 2021, table A1; datatrove's {@code GopherRepetitionFilter}):
 * drops documents that repeat themselves. Char fractions are over the whole text length. In order:
 *
 * <pre>
 *   gopher_dup_para_frac        paragraphs equal to an earlier one / paragraphs          > dup_para_frac (0.3)
 *   gopher_dup_para_char_frac   chars in such paragraphs / chars                         > dup_para_char_frac (0.2)
 *   gopher_dup_line_frac        lines equal to an earlier one / lines                    > dup_line_frac (0.3)
 *   gopher_dup_line_char_frac   chars in such lines / chars                              > dup_line_char_frac (0.2)
 *   gopher_top_{n}_gram         chars covered by the most frequent word n-gram / chars   > top{n}gram_frac, n = 2, 3, 4
 *   gopher_duplicated_{n}_n_grams chars in repeated word n-grams / chars                 > dup{n}gram_frac, n = 5..10
 * </pre>
 *
 * Paragraphs are separated by blank lines, lines are the non-blank lines, words are
 * whitespace-separated (dictionary segments in Chinese, Japanese, Thai; {@link TextUnits}).
 * Difference from datatrove: the top n-gram rule only counts an n-gram that occurs at least twice,
 * so a short document is not dropped for containing any n-gram at all. A fraction of 1 disables its
 * rule.
 */
public final class GopherRepetitionFilter implements DocumentStage {
  private static final long serialVersionUID = 1L;

  private double dupParaFrac = 0.3;
  private double dupParaCharFrac = 0.2;
  private double dupLineFrac = 0.3;
  private double dupLineCharFrac = 0.2;

  /** Index n - 2 for n = 2..4. */
  private final double[] topNgramFrac = {0.20, 0.18, 0.16};

  /** Index n - 5 for n = 5..10. */
  private final double[] dupNgramFrac = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};

  @Override
  public String name() {
    return "gopher_repetition";
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    String text = doc.text();
    if (text.isBlank())
      return Verdict.keep(doc); // nothing can repeat; emptiness is other filters' business
    TextUnits units = TextUnits.of(text, doc.language());
    double chars = text.length();

    List<String> paragraphs = units.paragraphs();
    long[] dupParas = TextUnits.duplicates(paragraphs);
    if ((double) dupParas[0] / paragraphs.size() > dupParaFrac)
      return Verdict.drop("gopher_dup_para_frac");
    if (dupParas[1] / chars > dupParaCharFrac) return Verdict.drop("gopher_dup_para_char_frac");

    List<String> lines = units.nonBlankLines();
    long[] dupLines = TextUnits.duplicates(lines);
    if ((double) dupLines[0] / lines.size() > dupLineFrac)
      return Verdict.drop("gopher_dup_line_frac");
    if (dupLines[1] / chars > dupLineCharFrac) return Verdict.drop("gopher_dup_line_char_frac");

    for (int n = 2; n <= 4; n++) {
      if (topNgramFrac[n - 2] < 1 && units.topNgramChars(n) / chars > topNgramFrac[n - 2]) {
        return Verdict.drop("gopher_top_" + n + "_gram");
      }
    }
    for (int n = 5; n <= 10; n++) {
      if (dupNgramFrac[n - 5] < 1 && units.duplicateNgramChars(n) / chars > dupNgramFrac[n - 5]) {
        return Verdict.drop("gopher_duplicated_" + n + "_n_grams");
      }
    }
    return Verdict.keep(doc);
  }

  @Override
  public void validate() {
    String s = "gopher_repetition";
    Ratios.requireFraction(s, "dup_para_frac", dupParaFrac);
    Ratios.requireFraction(s, "dup_para_char_frac", dupParaCharFrac);
    Ratios.requireFraction(s, "dup_line_frac", dupLineFrac);
    Ratios.requireFraction(s, "dup_line_char_frac", dupLineCharFrac);
    for (int n = 2; n <= 4; n++)
      Ratios.requireFraction(s, "top" + n + "gram_frac", topNgramFrac[n - 2]);
    for (int n = 5; n <= 10; n++)
      Ratios.requireFraction(s, "dup" + n + "gram_frac", dupNgramFrac[n - 5]);
  }

  public GopherRepetitionFilter setDupParaFrac(double v) {
    dupParaFrac = v;
    return this;
  }

  public GopherRepetitionFilter setDupParaCharFrac(double v) {
    dupParaCharFrac = v;
    return this;
  }

  public GopherRepetitionFilter setDupLineFrac(double v) {
    dupLineFrac = v;
    return this;
  }

  public GopherRepetitionFilter setDupLineCharFrac(double v) {
    dupLineCharFrac = v;
    return this;
  }

  public GopherRepetitionFilter setTop2gramFrac(double v) {
    topNgramFrac[0] = v;
    return this;
  }

  public GopherRepetitionFilter setTop3gramFrac(double v) {
    topNgramFrac[1] = v;
    return this;
  }

  public GopherRepetitionFilter setTop4gramFrac(double v) {
    topNgramFrac[2] = v;
    return this;
  }

  public GopherRepetitionFilter setDup5gramFrac(double v) {
    dupNgramFrac[0] = v;
    return this;
  }

  public GopherRepetitionFilter setDup6gramFrac(double v) {
    dupNgramFrac[1] = v;
    return this;
  }

  public GopherRepetitionFilter setDup7gramFrac(double v) {
    dupNgramFrac[2] = v;
    return this;
  }

  public GopherRepetitionFilter setDup8gramFrac(double v) {
    dupNgramFrac[3] = v;
    return this;
  }

  public GopherRepetitionFilter setDup9gramFrac(double v) {
    dupNgramFrac[4] = v;
    return this;
  }

  public GopherRepetitionFilter setDup10gramFrac(double v) {
    dupNgramFrac[5] = v;
    return this;
  }
}
