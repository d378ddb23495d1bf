package io.github.sparkgpt.pipeline.read;

import java.io.Serializable;

/**
 * One input file as planned on the driver.
 *
 * @param path        fully qualified Hadoop path ({@code file:/data/a.jsonl}); the prefix of every document id
 * @param length      size on disk in bytes (compressed size for .gz/.zst), the unit of read throughput
 * @param format      how to parse it
 * @param compression how to decompress it
 */
public record InputFile(String path, long length, InputFormat format, Compression compression)
    implements Serializable {}
