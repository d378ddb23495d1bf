package io.github.sparkgpt.pipeline;

import java.io.Serializable;

/** Either a kept document or a rejection: the element type of RDDs that carry both streams in one pass. */
public final class StageOutput implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Document document;
  private final RejectedDocument rejected;

  private StageOutput(Document document, RejectedDocument rejected) {
    this.document = document;
    this.rejected = rejected;
  }

  public static StageOutput kept(Document doc) {
    return new StageOutput(java.util.Objects.requireNonNull(doc), null);
  }

  public static StageOutput rejected(RejectedDocument r) {
    return new StageOutput(null, java.util.Objects.requireNonNull(r));
  }

  public boolean isKept() { return document != null; }
  public Document document() { return document; }
  public RejectedDocument rejected() { return rejected; }

  @Override public String toString() { return isKept() ? "kept " + document : "rejected " + rejected; }
}
