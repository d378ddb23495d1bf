package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;

/**
 * Format {@code text}: how hard-wrapped lines are joined and long files cut into documents.
 *
 * @param unwrap join the lines of hard-wrapped paragraphs: detected, always or never
 * @param split cut long files: at headings then paragraphs, at paragraphs, or never
 * @param splitMaxBytes files longer than this (UTF-8 bytes) are cut into parts of at most this size
 *     (a longer line stays whole)
 * @param splitMinBytes a part is closed at a chapter heading only once it holds this many bytes
 *     (front matter stays with chapter 1)
 */
record TextOptions(
    HardWrap.Mode unwrap, TextSplitter.Mode split, long splitMaxBytes, long splitMinBytes)
    implements Serializable {
  static final String DEFAULT_UNWRAP = "auto";
  static final String DEFAULT_SPLIT = "auto";
  static final long DEFAULT_SPLIT_MAX_BYTES = 65_536L;
  static final long DEFAULT_SPLIT_MIN_BYTES = 2_048L;

  TextOptions {
    if (splitMaxBytes < 1)
      throw new IllegalArgumentException("read.split_max_bytes must be >= 1, got " + splitMaxBytes);
    if (splitMinBytes < 0)
      throw new IllegalArgumentException("read.split_min_bytes must be >= 0, got " + splitMinBytes);
  }

  /** From the config spellings of the modes ({@code auto}, {@code always}, ...). */
  TextOptions(String unwrap, String split, long splitMaxBytes, long splitMinBytes) {
    this(HardWrap.Mode.parse(unwrap), TextSplitter.Mode.parse(split), splitMaxBytes, splitMinBytes);
  }

  TextSplitter splitter() {
    return new TextSplitter(split, splitMaxBytes, splitMinBytes);
  }
}
