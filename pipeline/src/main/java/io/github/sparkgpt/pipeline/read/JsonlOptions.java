package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;

/**
 * Format {@code jsonl}.
 *
 * @param textField the field holding the document text
 * @param idField the field holding the record id; records without it get {@code path#L<line>}
 */
record JsonlOptions(String textField, String idField) implements Serializable {
  static final String DEFAULT_TEXT_FIELD = "text";
  static final String DEFAULT_ID_FIELD = "id";

  JsonlOptions {
    ReadOptions.requireNonBlank("read.text_field", textField);
    ReadOptions.requireNonBlank("read.id_field", idField);
  }
}
