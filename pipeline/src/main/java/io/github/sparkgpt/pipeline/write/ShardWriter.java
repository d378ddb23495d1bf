package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes packed sequences as Parquet shards, one shard per RDD partition, renamed to {@code shard-NNNNN.parquet}
 * in partition order. Schema: {@code tokens: array<int>} (not null), each row one training sequence of
 * {@code context_length + 1} token ids.
 */
public final class ShardWriter {
  public static final StructType SCHEMA = new StructType()
      .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  private ShardWriter() {}

  /** Write {@code sequences} under {@code dir} (which must not exist) and return the shards, in order. */
  public static List<ShardInfo> write(SparkSession spark, JavaRDD<int[]> sequences, Path outputRoot, String split,
                                      int sequenceLength) {
    Path dir = new Path(outputRoot, split);
    JavaRDD<Row> rows = sequences.map(seq -> RowFactory.create((Object) seq));
    spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.ErrorIfExists).parquet(dir.toString());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
      Arrays.sort(parts, Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus extra : fs.listStatus(dir, p -> !p.getName().startsWith("part-"))) fs.delete(extra.getPath(), true);
      List<ShardInfo> shards = new ArrayList<>();
      for (int i = 0; i < parts.length; i++) {
        String name = String.format("shard-%05d.parquet", i);
        Path dst = new Path(dir, name);
        if (!fs.rename(parts[i].getPath(), dst)) throw new IOException("rename to " + dst + " failed");
        long n;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(dst, conf))) {
          n = reader.getRecordCount();
        }
        shards.add(new ShardInfo(split + "/" + name, n, n * sequenceLength, fs.getFileStatus(dst).getLen()));
      }
      return shards;
    } catch (IOException e) {
      throw new UncheckedIOException("listing shards under " + dir + " failed: " + e.getMessage(), e);
    }
  }
}
