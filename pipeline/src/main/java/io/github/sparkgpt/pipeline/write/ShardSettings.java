package io.github.sparkgpt.pipeline.write;

/** The {@code write} section: how big shards are and how many train shards there are at least. */
public final class ShardSettings {
  private double shardSizeMb = 64;
  private int minTrainShards = 0;

  /** Target shard size in MB of int32 tokens (default 64). */
  public ShardSettings setShardSizeMb(double v) {
    shardSizeMb = v;
    return this;
  }

  /**
   * At least this many train shards; 0 (default) = one per core, so packing and writing run in
   * parallel.
   */
  public ShardSettings setMinTrainShards(int v) {
    minTrainShards = v;
    return this;
  }

  public void validate() {
    if (!(shardSizeMb > 0))
      throw new IllegalArgumentException("write.shard_size_mb must be > 0, got " + shardSizeMb);
    if (minTrainShards < 0) {
      throw new IllegalArgumentException(
          "write.min_train_shards must be >= 0, got " + minTrainShards);
    }
  }

  public long shardBytes() {
    return (long) (shardSizeMb * 1024 * 1024);
  }

  /** {@code min_train_shards}, or {@code cores} when it is 0. */
  public int minTrainShards(int cores) {
    return minTrainShards > 0 ? minTrainShards : cores;
  }
}
