package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;
import java.util.List;

/**
 * Everything the read stage is configured with, validated once on construction: the format choice,
 * the number of partitions, and one small record per concern that the format readers take ({@link
 * RecordLimits} for all of them, {@link TextOptions}, {@link JsonlOptions}, {@link WarcOptions},
 * {@link ParquetOptions}). {@link Builder} is the target the {@code read} config section binds onto
 * ({@link io.github.sparkgpt.pipeline.ConfigBinder}).
 *
 * @param format {@code auto} (by extension) or one of text, text_lines, jsonl, html, warc, parquet
 *     for every file
 * @param partitions number of read partitions; 0 = min(number of files, 4 x default parallelism)
 */
public record ReadOptions(
    String format,
    int partitions,
    RecordLimits limits,
    TextOptions text,
    JsonlOptions jsonl,
    WarcOptions warc,
    ParquetOptions parquet)
    implements Serializable {
  public static final String AUTO = "auto";
  public static final String DEFAULT_FORMAT = AUTO;
  public static final int DEFAULT_PARTITIONS = 0;
  public static final ReadOptions DEFAULTS = builder().build();

  public ReadOptions {
    if (!format.equals(AUTO)) {
      try {
        InputFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "read.format '"
                + format
                + "' is unknown: use auto, text, text_lines, jsonl, html, warc or parquet");
      }
    }
    if (partitions < 0)
      throw new IllegalArgumentException("read.partitions must be >= 0 (0 = automatic)");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * How a file is parsed: the configured format, or under {@code auto} the one its name implies.
   */
  InputFormat formatFor(String fileName) {
    return format.equals(AUTO) ? InputFormat.forFileName(fileName) : InputFormat.parse(format);
  }

  static void requireNonBlank(String key, String v) {
    if (v == null || v.isBlank()) throw new IllegalArgumentException(key + " must not be empty");
  }

  /**
   * The flat {@code read.*} keys as fluent setters, starting from the defaults; {@link #build()}
   * validates.
   */
  public static final class Builder {
    private String format = DEFAULT_FORMAT;
    private int partitions = DEFAULT_PARTITIONS;
    private String textField = JsonlOptions.DEFAULT_TEXT_FIELD;
    private String idField = JsonlOptions.DEFAULT_ID_FIELD;
    private String textColumn = ParquetOptions.DEFAULT_TEXT_COLUMN;
    private String idColumn = ParquetOptions.DEFAULT_ID_COLUMN;
    private long parquetMaxRowGroupTextBytes = ParquetOptions.DEFAULT_MAX_ROW_GROUP_TEXT_BYTES;
    private long maxDocBytes = RecordLimits.DEFAULT_MAX_DOC_BYTES;
    private long maxRecordBytes = RecordLimits.DEFAULT_MAX_RECORD_BYTES;
    private int binaryMaxNulChars = RecordLimits.DEFAULT_BINARY_MAX_NUL_CHARS;
    private double binaryMaxControlFraction = RecordLimits.DEFAULT_BINARY_MAX_CONTROL_FRACTION;
    private int binarySniffBytes = RecordLimits.DEFAULT_BINARY_SNIFF_BYTES;
    private int rejectedTextMaxChars = RecordLimits.DEFAULT_REJECTED_TEXT_MAX_CHARS;
    private int ioRetries = RecordLimits.DEFAULT_IO_RETRIES;
    private long ioRetryWaitMs = RecordLimits.DEFAULT_IO_RETRY_WAIT_MS;
    private List<String> warcContentTypes = WarcOptions.DEFAULT_HTML_TYPES;
    private List<String> warcTextTypes = WarcOptions.DEFAULT_TEXT_TYPES;
    private String unwrap = TextOptions.DEFAULT_UNWRAP;
    private String split = TextOptions.DEFAULT_SPLIT;
    private long splitMaxBytes = TextOptions.DEFAULT_SPLIT_MAX_BYTES;
    private long splitMinBytes = TextOptions.DEFAULT_SPLIT_MIN_BYTES;

    private Builder() {}

    public Builder setFormat(String v) {
      format = v;
      return this;
    }

    public Builder setPartitions(int v) {
      partitions = v;
      return this;
    }

    public Builder setTextField(String v) {
      textField = v;
      return this;
    }

    public Builder setIdField(String v) {
      idField = v;
      return this;
    }

    public Builder setTextColumn(String v) {
      textColumn = v;
      return this;
    }

    public Builder setIdColumn(String v) {
      idColumn = v;
      return this;
    }

    public Builder setParquetMaxRowGroupTextBytes(long v) {
      parquetMaxRowGroupTextBytes = v;
      return this;
    }

    public Builder setMaxDocBytes(long v) {
      maxDocBytes = v;
      return this;
    }

    public Builder setMaxRecordBytes(long v) {
      maxRecordBytes = v;
      return this;
    }

    public Builder setBinaryMaxNulChars(int v) {
      binaryMaxNulChars = v;
      return this;
    }

    public Builder setBinaryMaxControlFraction(double v) {
      binaryMaxControlFraction = v;
      return this;
    }

    public Builder setBinarySniffBytes(int v) {
      binarySniffBytes = v;
      return this;
    }

    public Builder setRejectedTextMaxChars(int v) {
      rejectedTextMaxChars = v;
      return this;
    }

    public Builder setIoRetries(int v) {
      ioRetries = v;
      return this;
    }

    public Builder setIoRetryWaitMs(long v) {
      ioRetryWaitMs = v;
      return this;
    }

    public Builder setWarcContentTypes(List<String> v) {
      warcContentTypes = List.copyOf(v);
      return this;
    }

    public Builder setWarcTextTypes(List<String> v) {
      warcTextTypes = List.copyOf(v);
      return this;
    }

    public Builder setUnwrap(String v) {
      unwrap = v;
      return this;
    }

    public Builder setSplit(String v) {
      split = v;
      return this;
    }

    public Builder setSplitMaxBytes(long v) {
      splitMaxBytes = v;
      return this;
    }

    public Builder setSplitMinBytes(long v) {
      splitMinBytes = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid option and what to do
     */
    public ReadOptions build() {
      return new ReadOptions(
          format,
          partitions,
          new RecordLimits(
              maxDocBytes,
              maxRecordBytes,
              binaryMaxNulChars,
              binaryMaxControlFraction,
              binarySniffBytes,
              rejectedTextMaxChars,
              ioRetries,
              ioRetryWaitMs),
          new TextOptions(unwrap, split, splitMaxBytes, splitMinBytes),
          new JsonlOptions(textField, idField),
          new WarcOptions(warcContentTypes, warcTextTypes),
          new ParquetOptions(textColumn, idColumn, parquetMaxRowGroupTextBytes));
    }
  }
}
