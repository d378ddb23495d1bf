package io.github.sparkgpt.pipeline.filter.quality;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.TextUnits;
import java.util.List;

/**
 * FineWeb's line-structure rules (Penedo et al. 2024; datatrove's {@code FineWebQualityFilter}),
 * over the non-blank lines, in this order:
 *
 * <pre>
 *   fineweb_empty            no non-blank line
 *   fineweb_line_punct_ratio lines ending (after trailing spaces) in one of stop_chars / lines < line_punct_thr (0.12)
 *   fineweb_short_line_ratio lines of at most short_line_length (30) chars / lines             > short_line_thr (0.67)
 *   fineweb_char_dup_ratio   chars in lines equal to an earlier line / chars without newlines > char_duplicates_ratio
 *   fineweb_list_ratio       newlines / words                                                 > new_line_ratio (0.3)
 * </pre>
 *
 * {@code char_duplicates_ratio} defaults to 0.1, the value in the FineWeb paper; datatrove's code
 * default is 0.01, which drops prose with a few repeated short lines ("(Applause.)"). {@code
 * line_punct_exclude_zero} keeps documents with no punctuated line at all (as datatrove's option of
 * that name).
 */
public final class FineWebQualityFilter implements DocumentStage {
  private static final long serialVersionUID = 1L;

  private double linePunctThr = 0.12;
  private boolean linePunctExcludeZero = false;
  private String stopChars = ".!?\"'…。！？”’»";
  private double shortLineThr = 0.67;
  private int shortLineLength = 30;
  private double charDuplicatesRatio = 0.1;
  private double newLineRatio = 0.3;

  @Override
  public String name() {
    return "fineweb_quality";
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    String text = doc.text();
    TextUnits units = TextUnits.of(text, doc.language());
    List<String> lines = units.nonBlankLines();
    if (lines.isEmpty()) return Verdict.drop("fineweb_empty");

    int punctLines = 0;
    int shortLines = 0;
    for (String line : lines) {
      String s = line.stripTrailing();
      if (!s.isEmpty() && stopChars.indexOf(s.charAt(s.length() - 1)) >= 0) punctLines++;
      if (line.length() <= shortLineLength) shortLines++;
    }
    double punctRatio = (double) punctLines / lines.size();
    if (punctRatio < linePunctThr && !(punctRatio == 0 && linePunctExcludeZero)) {
      return Verdict.drop("fineweb_line_punct_ratio");
    }
    if ((double) shortLines / lines.size() > shortLineThr)
      return Verdict.drop("fineweb_short_line_ratio");

    long charsWithoutNewlines = text.length() - TextUnits.count(text, "\n");
    if ((double) TextUnits.duplicates(lines)[1] / charsWithoutNewlines > charDuplicatesRatio) {
      return Verdict.drop("fineweb_char_dup_ratio");
    }
    int words = units.wordCount();
    if (words == 0 || (double) TextUnits.count(text, "\n") / words > newLineRatio) {
      return Verdict.drop("fineweb_list_ratio");
    }
    return Verdict.keep(doc);
  }

  @Override
  public void validate() {
    String s = "fineweb_quality";
    Ratios.requireFraction(s, "line_punct_thr", linePunctThr);
    Ratios.requireFraction(s, "short_line_thr", shortLineThr);
    Ratios.requireFraction(s, "char_duplicates_ratio", charDuplicatesRatio);
    Ratios.requireNonNegative(s, "new_line_ratio", newLineRatio);
    if (shortLineLength < 0)
      throw new IllegalArgumentException(s + ": short_line_length must be >= 0");
    if (stopChars.isEmpty() && linePunctThr > 0) {
      throw new IllegalArgumentException(
          s
              + ": stop_chars is empty, so every document fails line_punct_thr; "
              + "list terminal punctuation characters or set line_punct_thr = 0");
    }
  }

  public FineWebQualityFilter setLinePunctThr(double v) {
    linePunctThr = v;
    return this;
  }

  public FineWebQualityFilter setLinePunctExcludeZero(boolean v) {
    linePunctExcludeZero = v;
    return this;
  }

  /** Each character of {@code v} counts as terminal punctuation. */
  public FineWebQualityFilter setStopChars(String v) {
    stopChars = v;
    return this;
  }

  public FineWebQualityFilter setShortLineThr(double v) {
    shortLineThr = v;
    return this;
  }

  public FineWebQualityFilter setShortLineLength(int v) {
    shortLineLength = v;
    return this;
  }

  public FineWebQualityFilter setCharDuplicatesRatio(double v) {
    charDuplicatesRatio = v;
    return this;
  }

  public FineWebQualityFilter setNewLineRatio(double v) {
    newLineRatio = v;
    return this;
  }
}
