package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/** Reads the token sequences of one shard without Spark (tools, evaluation, tests). */
public final class ShardReader {
  private ShardReader() {}

  /**
   * All rows of {@code shard}, in order; at most {@code limit} rows (a negative limit reads all).
   */
  public static List<int[]> read(Path shard, Configuration conf, long limit) {
    List<int[]> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), shard).withConf(conf).build()) {
      for (Group g = reader.read();
          g != null && (limit < 0 || rows.size() < limit);
          g = reader.read()) {
        Group list = g.getGroup("tokens", 0);
        int n = list.getFieldRepetitionCount("list");
        int[] seq = new int[n];
        for (int i = 0; i < n; i++) seq[i] = list.getGroup("list", i).getInteger("element", 0);
        rows.add(seq);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read shard " + shard + ": " + e.getMessage(), e);
    }
    return rows;
  }
}
