package io.github.sparkgpt.pipeline;

import java.io.Serializable;
import java.util.Objects;

/**
 * One document flowing through the pipeline. Immutable: stages return modified copies.
 *
 * <p>{@code id} is stable across runs: the file's path below its input root (after the root's name)
 * plus a line number, part, byte offset or record key, so the same input always yields the same
 * ids, wherever the corpus lies (dedup survivors and the train/validation split depend on it).
 */
public final class Document implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String source;
  private final String url;
  private final String text;
  private final String language;
  private final double languageScore;

  /**
   * MinHash signature taken before line-level removal, or null: near-dedup compares what the input
   * said.
   */
  private final int[] signature;

  public Document(
      String id, String source, String url, String text, String language, double languageScore) {
    this(id, source, url, text, language, languageScore, null);
  }

  private Document(
      String id,
      String source,
      String url,
      String text,
      String language,
      double languageScore,
      int[] signature) {
    this.id = Objects.requireNonNull(id, "id");
    this.source = source;
    this.url = url;
    this.text = Objects.requireNonNull(text, "text");
    this.language = language;
    this.languageScore = languageScore;
    this.signature = signature;
  }

  public static Document of(String id, String source, String text) {
    return new Document(id, source, null, text, null, Double.NaN);
  }

  public String id() {
    return id;
  }

  /** The file (or table) the document was read from. */
  public String source() {
    return source;
  }

  /** Original URL for web documents (WARC), otherwise null. */
  public String url() {
    return url;
  }

  public String text() {
    return text;
  }

  /** ISO 639-1 code once the language stage ran, otherwise null. */
  public String language() {
    return language;
  }

  public double languageScore() {
    return languageScore;
  }

  /**
   * The near-dedup signature recorded earlier in the chain (see {@code MinHashDedup}), or null. Not
   * copied.
   */
  public int[] signature() {
    return signature;
  }

  public Document withText(String newText) {
    return new Document(id, source, url, newText, language, languageScore, signature);
  }

  public Document withUrl(String newUrl) {
    return new Document(id, source, newUrl, text, language, languageScore, signature);
  }

  public Document withLanguage(String lang, double score) {
    return new Document(id, source, url, text, lang, score, signature);
  }

  public Document withSignature(int[] sig) {
    return new Document(id, source, url, text, language, languageScore, sig);
  }

  /** UTF-8 size of the text, the unit of the per-stage byte statistics. */
  public long utf8Bytes() {
    return Utf8.encodedLength(text);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Document d)) return false;
    return id.equals(d.id)
        && text.equals(d.text)
        && Objects.equals(source, d.source)
        && Objects.equals(url, d.url)
        && Objects.equals(language, d.language)
        && Double.compare(languageScore, d.languageScore) == 0
        && java.util.Arrays.equals(signature, d.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, text);
  }

  @Override
  public String toString() {
    String head = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return "Document{" + id + ", " + head.replace('\n', ' ') + "}";
  }
}
