package io.github.sparkgpt.pipeline;

import java.io.Serializable;
import java.util.Objects;

/**
 * A document (or an unreadable piece of input) that the pipeline did not keep, with where and why.
 * Every drop ends up in the {@code rejected/} output as one of these rows, so nothing is silently
 * lost.
 *
 * @param id the document id, or {@code source:offset} for input that never became a document
 * @param source the input file it came from
 * @param stage the stage that dropped it ({@code read}, {@code gopher_quality}, {@code
 *     minhash_dedup}, ...)
 * @param reason the readable drop reason ({@code read_malformed_json}, {@code gopher_short_doc},
 *     ...)
 * @param detail optional extra context: an exception message, the surviving duplicate's id; may be
 *     null
 * @param text the text as far as it could be read (may be empty, never null)
 */
public record RejectedDocument(
    String id, String source, String stage, String reason, String detail, String text)
    implements Serializable {
  public RejectedDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    text = text == null ? "" : text;
  }

  public static RejectedDocument of(Document doc, String stage, String reason, String detail) {
    return new RejectedDocument(doc.id(), doc.source(), stage, reason, detail, doc.text());
  }
}
