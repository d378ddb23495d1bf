package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;
import java.util.List;

/**
 * Format {@code warc}: which payloads become documents.
 *
 * @param htmlTypes HTTP content types (base type, lower case) read as HTML pages
 * @param textTypes payload content types read as plain text (WET conversion records, text/plain
 *     pages and resources)
 */
record WarcOptions(List<String> htmlTypes, List<String> textTypes) implements Serializable {
  static final List<String> DEFAULT_HTML_TYPES = List.of("text/html", "application/xhtml+xml");
  static final List<String> DEFAULT_TEXT_TYPES = List.of("text/plain");

  WarcOptions {
    htmlTypes = List.copyOf(htmlTypes);
    textTypes = List.copyOf(textTypes);
    if (htmlTypes.isEmpty()) {
      throw new IllegalArgumentException(
          "read.warc_content_types must list at least one type, e.g. text/html");
    }
  }
}
