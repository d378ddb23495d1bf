package io.github.sparkgpt.pipeline;

import java.io.Serializable;

/**
 * Either a kept document or a rejection: the element type of RDDs that carry both streams in one pass. The reader
 * also ends each partition with a {@link #counters} element holding its named counts (lines joined, files split),
 * summed by {@link DocumentChain} into the read stage's statistics like every other stage's counters.
 */
public final class StageOutput implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Document document;
  private final RejectedDocument rejected;
  private final StageCounters counters;

  private StageOutput(Document document, RejectedDocument rejected, StageCounters counters) {
    this.document = document;
    this.rejected = rejected;
    this.counters = counters;
  }

  public static StageOutput kept(Document doc) {
    return new StageOutput(java.util.Objects.requireNonNull(doc), null, null);
  }

  public static StageOutput rejected(RejectedDocument r) {
    return new StageOutput(null, java.util.Objects.requireNonNull(r), null);
  }

  /** Counts of the stage that produced this stream; neither a document nor a rejection. */
  public static StageOutput counters(StageCounters c) {
    return new StageOutput(null, null, java.util.Objects.requireNonNull(c));
  }

  public boolean isKept() { return document != null; }
  public boolean isRejected() { return rejected != null; }
  public boolean isCounters() { return counters != null; }
  public Document document() { return document; }
  public RejectedDocument rejected() { return rejected; }
  public StageCounters counters() { return counters; }

  @Override public String toString() {
    return isKept() ? "kept " + document : isRejected() ? "rejected " + rejected : "counters " + counters.asMap();
  }
}
