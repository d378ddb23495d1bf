package io.github.sparkgpt.pipeline.read;

/** The drop reasons of the read stage: the {@code reason} column of {@code rejected/} for stage {@code read}. */
public final class ReadReasons {
  private ReadReasons() {}

  public static final String STAGE = "read";
  /** The file could not be opened or decoded (I/O error, not gzip/zstd/Parquet at all). */
  public static final String UNREADABLE = "read_unreadable";
  /** A compressed file ended early; everything before the damage was kept. */
  public static final String TRUNCATED = "read_truncated";
  public static final String MALFORMED_JSON = "read_malformed_json";
  /** A JSON record or Parquet row without a string in the text field/column. */
  public static final String MISSING_TEXT = "read_missing_text";
  public static final String BINARY_CONTENT = "read_binary_content";
  /** An empty or whitespace-only document, or a file that yielded no document at all. */
  public static final String EMPTY = "read_empty";
  public static final String TOO_LARGE = "read_too_large";
  /** A WARC HTTP response whose content type is not HTML. */
  public static final String WARC_NOT_HTML = "read_warc_not_html";
  /** A WARC HTTP response with a non-2xx status (redirects, errors). */
  public static final String WARC_HTTP_STATUS = "read_warc_http_status";
  /** A WARC response record whose HTTP message could not be parsed. */
  public static final String WARC_MALFORMED_HTTP = "read_warc_malformed_http";
}
