package io.github.sparkgpt.pipeline.write;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Writes packed sequences as Parquet shards, one shard per RDD partition, {@code
 * shard-NNNNN.parquet}. Schema: {@code tokens: array<int>} (a standard three-level Parquet LIST of
 * required int32, which Spark, pandas and PyArrow read as a list of ints), each row one training
 * sequence of {@code context_length + 1} token ids.
 */
public final class ShardWriter {
  public static final String SCHEMA =
      "message shard { required group tokens (LIST) {"
          + " repeated group list { required int32 element; } } }";

  private static final ParquetPartitionWriter<int[]> WRITER =
      new ParquetPartitionWriter<>(SCHEMA, ShardWriter::fill);

  private ShardWriter() {}

  private static void fill(int[] sequence, Group record) {
    Group list = record.addGroup("tokens");
    for (int t : sequence) list.addGroup("list").append("element", t);
  }

  /**
   * Write {@code sequences} under {@code outputRoot/split} and return the shards, in partition
   * order.
   */
  public static List<ShardInfo> write(
      SparkSession spark,
      JavaRDD<int[]> sequences,
      Path outputRoot,
      String split,
      int sequenceLength) {
    List<ShardInfo> shards = new ArrayList<>();
    for (ParquetPartitionWriter.WrittenFile f :
        WRITER.write(
            sequences,
            new Path(outputRoot, split),
            "shard",
            spark.sparkContext().hadoopConfiguration())) {
      shards.add(
          new ShardInfo(
              split + "/" + f.name(), f.records(), f.records() * sequenceLength, f.bytes()));
    }
    return shards;
  }
}
