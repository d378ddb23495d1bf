package io.github.sparkgpt.pipeline.write;

/**
 * One Parquet shard as listed in the manifest.
 *
 * @param path path relative to the output directory, e.g. {@code train/shard-00000.parquet}
 * @param rows number of sequences
 * @param tokens number of tokens ({@code rows * sequence_length})
 * @param bytes file size
 */
public record ShardInfo(String path, long rows, long tokens, long bytes) {}
