package io.github.sparkgpt.pipeline.dedup;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;

/**
 * Records each document's MinHash signature on the document, early in the chain (after the language
 * stage, before the quality rules), so near-duplicate detection compares the texts as read: C4's
 * line rule can remove different lines from two copies that differ in a few words (hard-wrapped
 * text moves every line break), and the copies would then look unrelated. Never drops; {@link
 * MinHashDedup} uses the recorded signature. The document's language picks the word segmentation of
 * the shingles ({@link Shingler}).
 */
public final class MinHashSignatureStage implements DocumentStage {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "minhash_signature";

  private final MinHasher hasher;
  private final int shingleSize;
  private transient Shingler shingler;

  MinHashSignatureStage(MinHasher hasher, int shingleSize) {
    this.hasher = hasher;
    this.shingleSize = shingleSize;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    if (shingler == null) shingler = new Shingler(shingleSize);
    shingler.shingle(doc.text(), doc.language());
    return Verdict.keep(doc.withSignature(hasher.signature(shingler.hashes(), shingler.count())));
  }
}
