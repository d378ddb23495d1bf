package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;

/**
 * One input file as planned on the driver.
 *
 * @param path fully qualified Hadoop path ({@code file:/data/a.jsonl}): what is opened, and each
 *     document's {@code source}
 * @param length size on disk in bytes (compressed size for .gz/.zst), the unit of read throughput
 * @param format how to parse it
 * @param compression how to decompress it
 * @param id the prefix of every document id: the path relative to the input root it was found
 *     under, after the root's name ({@code corpus/sub/a.jsonl}), so a moved or copied corpus keeps
 *     its ids
 */
public record InputFile(
    String path, long length, InputFormat format, Compression compression, String id)
    implements Serializable {
  /** A file whose id is its path (tests, tools that plan by hand). */
  public InputFile(String path, long length, InputFormat format, Compression compression) {
    this(path, length, format, compression, path);
  }
}
