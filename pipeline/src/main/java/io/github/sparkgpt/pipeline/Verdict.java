package io.github.sparkgpt.pipeline;

/**
 * What a stage decided about one document: keep it (possibly modified) or drop it for a readable
 * reason such as {@code gopher_short_doc}. Reasons are snake_case, prefixed by the rule family, and
 * stable: they are the keys of the drop counts in {@code stats.json} and the {@code reason} column
 * of {@code rejected/}.
 */
public final class Verdict {
  private final Document document;
  private final String reason;

  private Verdict(Document document, String reason) {
    this.document = document;
    this.reason = reason;
  }

  public static Verdict keep(Document doc) {
    return new Verdict(doc, null);
  }

  public static Verdict drop(String reason) {
    if (reason == null || reason.isEmpty())
      throw new IllegalArgumentException("a drop needs a reason");
    return new Verdict(null, reason);
  }

  public boolean kept() {
    return reason == null;
  }

  /** The document to pass on; null when dropped. */
  public Document document() {
    return document;
  }

  /** The drop reason; null when kept. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return kept() ? "keep" : "drop(" + reason + ")";
  }
}
