package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;

/**
 * The checks every format applies to what it reads ({@link FileRecords}): sizes, binary detection,
 * the text kept in a rejection, and retries of failing storage reads. Validated on construction.
 *
 * @param maxDocBytes documents whose UTF-8 text is longer are rejected ({@code read_too_large})
 * @param maxRecordBytes raw records (a JSONL line, an HTML page, a WARC body) longer than this are
 *     rejected without parsing
 * @param binaryMaxNulChars more NUL characters than this in a document means binary content
 * @param binaryMaxControlFraction a larger share of control characters (except tab/newline/CR/FF)
 *     plus U+FFFD means binary content
 * @param binarySniffBytes line formats: bytes at the head of a file checked for binary content, to
 *     reject the file whole
 * @param rejectedTextMaxChars text kept in a rejection row is cut to this many characters
 * @param ioRetries times a read failing with a storage error (not corrupt data) is retried,
 *     reopening the file, per failure
 * @param ioRetryWaitMs wait before the first retry; doubles with each further retry
 */
record RecordLimits(
    long maxDocBytes,
    long maxRecordBytes,
    int binaryMaxNulChars,
    double binaryMaxControlFraction,
    int binarySniffBytes,
    int rejectedTextMaxChars,
    int ioRetries,
    long ioRetryWaitMs)
    implements Serializable {
  static final long DEFAULT_MAX_DOC_BYTES = 10_000_000L;
  static final long DEFAULT_MAX_RECORD_BYTES = 64L << 20;
  static final int DEFAULT_BINARY_MAX_NUL_CHARS = 0;
  static final double DEFAULT_BINARY_MAX_CONTROL_FRACTION = 0.10;
  static final int DEFAULT_BINARY_SNIFF_BYTES = 8192;
  static final int DEFAULT_REJECTED_TEXT_MAX_CHARS = 10_000;
  static final int DEFAULT_IO_RETRIES = 3;
  static final long DEFAULT_IO_RETRY_WAIT_MS = 1000;

  /** Byte arrays hold at most this many bytes, so no limit may be larger. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

  static final RecordLimits DEFAULTS =
      new RecordLimits(
          DEFAULT_MAX_DOC_BYTES,
          DEFAULT_MAX_RECORD_BYTES,
          DEFAULT_BINARY_MAX_NUL_CHARS,
          DEFAULT_BINARY_MAX_CONTROL_FRACTION,
          DEFAULT_BINARY_SNIFF_BYTES,
          DEFAULT_REJECTED_TEXT_MAX_CHARS,
          DEFAULT_IO_RETRIES,
          DEFAULT_IO_RETRY_WAIT_MS);

  RecordLimits {
    if (maxDocBytes < 1 || maxDocBytes > MAX_ARRAY) {
      throw new IllegalArgumentException(
          "read.max_doc_bytes must be in 1.." + MAX_ARRAY + ", got " + maxDocBytes);
    }
    if (maxRecordBytes < 1 || maxRecordBytes > MAX_ARRAY) {
      throw new IllegalArgumentException(
          "read.max_record_bytes must be in 1.." + MAX_ARRAY + ", got " + maxRecordBytes);
    }
    if (binaryMaxNulChars < 0)
      throw new IllegalArgumentException("read.binary_max_nul_chars must be >= 0");
    if (!(binaryMaxControlFraction >= 0 && binaryMaxControlFraction <= 1)) {
      throw new IllegalArgumentException(
          "read.binary_max_control_fraction must be in [0, 1], got " + binaryMaxControlFraction);
    }
    if (binarySniffBytes < 1 || binarySniffBytes > 65536) {
      throw new IllegalArgumentException(
          "read.binary_sniff_bytes must be in 1..65536, got " + binarySniffBytes);
    }
    if (rejectedTextMaxChars < 0)
      throw new IllegalArgumentException("read.rejected_text_max_chars must be >= 0");
    if (ioRetries < 0 || ioRetries > 20) {
      throw new IllegalArgumentException("read.io_retries must be in 0..20, got " + ioRetries);
    }
    if (ioRetryWaitMs < 0)
      throw new IllegalArgumentException(
          "read.io_retry_wait_ms must be >= 0, got " + ioRetryWaitMs);
  }
}
