package io.github.sparkgpt.pipeline.read;

/**
 * The drop reasons of the read stage: the {@code reason} column of {@code rejected/} for stage
 * {@code read}.
 */
public final class ReadReasons {
  private ReadReasons() {}

  public static final String STAGE = "read";

  /** The file could not be opened or decoded (I/O error, not gzip/zstd/Parquet at all). */
  public static final String UNREADABLE = "read_unreadable";

  /** A compressed file ended early; everything before the damage was kept. */
  public static final String TRUNCATED = "read_truncated";

  /**
   * Reading stopped before the end of the file (damage no reader could resynchronise after, or
   * storage errors that persisted through every retry); the detail says how many bytes were not
   * read.
   */
  public static final String REST_OF_FILE_LOST = "read_rest_of_file_lost";

  public static final String MALFORMED_JSON = "read_malformed_json";

  /** A JSON record or Parquet row without a string in the text field/column. */
  public static final String MISSING_TEXT = "read_missing_text";

  public static final String BINARY_CONTENT = "read_binary_content";

  /** An empty or whitespace-only document, or a file that yielded no document at all. */
  public static final String EMPTY = "read_empty";

  public static final String TOO_LARGE = "read_too_large";

  /**
   * A WARC payload whose content type is neither HTML ({@code warc_content_types}) nor text ({@code
   * warc_text_types}): images, PDFs, scripts.
   */
  public static final String WARC_NOT_TEXT = "read_warc_not_text";

  /** A WARC HTTP response with a non-2xx status (redirects, errors). */
  public static final String WARC_HTTP_STATUS = "read_warc_http_status";

  /** A WARC response record whose HTTP message could not be parsed. */
  public static final String WARC_MALFORMED_HTTP = "read_warc_malformed_http";

  /** A WARC record whose header or block could not be read; reading went on at the next record. */
  public static final String WARC_MALFORMED_RECORD = "read_warc_malformed_record";

  /**
   * A damaged gzip member (bad deflate data, CRC or length); reading went on at the next member.
   */
  public static final String GZIP_CORRUPT_MEMBER = "read_gzip_corrupt_member";
}
