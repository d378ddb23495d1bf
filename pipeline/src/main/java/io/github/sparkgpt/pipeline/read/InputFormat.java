package io.github.sparkgpt.pipeline.read;

import java.util.Locale;

/**
 * The input formats the reader understands; {@link #forFileName} picks one from a file's extension.
 */
public enum InputFormat {
  /**
   * Plain text, one document per file (id = the file's id), or per part of a long file ({@code
   * id#part=N}).
   */
  TEXT,
  /** Plain text, one document per non-blank line (id = path#L<line>). */
  TEXT_LINES,
  /** One JSON object per line with a text field and an optional id field. */
  JSONL,
  /** An HTML page; the main text is extracted with jsoup. */
  HTML,
  /**
   * A WARC file; responses, resources and conversion (WET) records with HTML or text payloads
   * become documents.
   */
  WARC,
  /** A Parquet file with a text column and an optional id column. */
  PARQUET;

  /** The config spelling: {@code text}, {@code text_lines}, {@code jsonl}, ... */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parse a config value; {@code auto} is not a format and is handled by the caller. */
  public static InputFormat parse(String s) {
    for (InputFormat f : values()) if (f.key().equals(s)) return f;
    throw new IllegalArgumentException("unknown format '" + s + "'");
  }

  /**
   * The format implied by a file name once its compression suffix ({@code .gz}, {@code .zst}) is
   * removed: {@code .jsonl/.ndjson/.json} JSONL, {@code .html/.htm/.xhtml} HTML, {@code .warc} and
   * {@code .wet} WARC, {@code .parquet} Parquet, anything else plain text with one document per
   * file.
   */
  public static InputFormat forFileName(String name) {
    String n = Compression.stripSuffix(name.toLowerCase(Locale.ROOT));
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) return JSONL;
    if (n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".xhtml")) return HTML;
    if (n.endsWith(".warc") || n.endsWith(".wet"))
      return WARC; // .warc.wet.gz and .wet.gz: Common Crawl text
    if (n.endsWith(".parquet")) return PARQUET;
    return TEXT;
  }
}
