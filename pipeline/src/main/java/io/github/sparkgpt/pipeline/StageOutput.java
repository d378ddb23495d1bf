package io.github.sparkgpt.pipeline;

import java.io.Serializable;

/**
 * A kept document, a rejection, or named counts of the producing stage (records by type, bytes
 * skipped): the element type of RDDs that carry all three in one pass. Counts are summed into the
 * stage's statistics, never stored.
 */
public final class StageOutput implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Document document;
  private final RejectedDocument rejected;
  private final java.util.TreeMap<String, Long> counts;

  private StageOutput(
      Document document, RejectedDocument rejected, java.util.TreeMap<String, Long> counts) {
    this.document = document;
    this.rejected = rejected;
    this.counts = counts;
  }

  public static StageOutput kept(Document doc) {
    return new StageOutput(java.util.Objects.requireNonNull(doc), null, null);
  }

  public static StageOutput rejected(RejectedDocument r) {
    return new StageOutput(null, java.util.Objects.requireNonNull(r), null);
  }

  public static StageOutput counts(java.util.Map<String, Long> counts) {
    return new StageOutput(null, null, new java.util.TreeMap<>(counts));
  }

  public boolean isKept() {
    return document != null;
  }

  public boolean isRejected() {
    return rejected != null;
  }

  public boolean isCounts() {
    return counts != null;
  }

  /** Named counts to add to the stage's counters; null unless {@link #isCounts()}. */
  public java.util.Map<String, Long> counts() {
    return counts;
  }

  public Document document() {
    return document;
  }

  public RejectedDocument rejected() {
    return rejected;
  }

  @Override
  public String toString() {
    return isKept()
        ? "kept " + document
        : isRejected() ? "rejected " + rejected : "counts " + counts;
  }
}
