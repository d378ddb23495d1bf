package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;

/**
 * Format {@code parquet}.
 *
 * @param textColumn the string column holding the document text
 * @param idColumn the id column; empty means ids by row position {@code path#row=<n>}
 * @param maxRowGroupTextBytes a row group whose text column is larger (uncompressed) is not read;
 *     its rows become {@code read_too_large}
 */
record ParquetOptions(String textColumn, String idColumn, long maxRowGroupTextBytes)
    implements Serializable {
  static final String DEFAULT_TEXT_COLUMN = "text";
  static final String DEFAULT_ID_COLUMN = "";
  static final long DEFAULT_MAX_ROW_GROUP_TEXT_BYTES = 1L << 30;

  ParquetOptions {
    ReadOptions.requireNonBlank("read.text_column", textColumn);
    if (idColumn == null)
      throw new IllegalArgumentException("read.id_column must be a string (empty = row ids)");
    if (maxRowGroupTextBytes < 1) {
      throw new IllegalArgumentException(
          "read.parquet_max_row_group_text_bytes must be >= 1, got " + maxRowGroupTextBytes);
    }
  }
}
