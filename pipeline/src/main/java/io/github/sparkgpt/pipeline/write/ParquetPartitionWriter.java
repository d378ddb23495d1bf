package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Writes each partition of an RDD as one Parquet file {@code <prefix>-NNNNN.parquet} with
 * parquet-hadoop directly, without Spark SQL (whose first use costs seconds of planning and code
 * generation in every job JVM). A task writes to an attempt-specific file and renames it into
 * place, so retried or speculative attempts never leave a partial or doubled file.
 */
public final class ParquetPartitionWriter<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Fills one Parquet record from one element. */
  @FunctionalInterface
  public interface RecordFiller<T> extends Serializable {
    void fill(T element, Group record);
  }

  /** One written file: partition index, file name, records, bytes. */
  public record WrittenFile(int partition, String name, long records, long bytes)
      implements Serializable {}

  private final String schema;
  private final RecordFiller<T> filler;

  /**
   * @param schema a Parquet message type in its text form, e.g. {@code message shard { required
   *     int32 x; }}
   */
  public ParquetPartitionWriter(String schema, RecordFiller<T> filler) {
    this.schema = schema;
    this.filler = filler;
    MessageTypeParser.parseMessageType(schema); // fail early on a malformed schema
  }

  /**
   * Write every partition under {@code dir} (created); empty partitions write no file. Sorted by
   * partition.
   */
  public List<WrittenFile> write(
      JavaRDD<T> rdd, Path dir, String prefix, Configuration hadoopConf) {
    SerializableConfiguration conf = new SerializableConfiguration(hadoopConf);
    String dirName = dir.toString();
    List<WrittenFile> files =
        new ArrayList<>(
            rdd.mapPartitionsWithIndex(
                    (Integer index, Iterator<T> it) ->
                        writePartition(index, it, dirName, prefix, conf.value()),
                    false)
                .collect());
    files.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      fs.delete(new Path(dir, "_attempts"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cleaning " + dir + "/_attempts failed: " + e.getMessage(), e);
    }
    return files;
  }

  private Iterator<WrittenFile> writePartition(
      int index, Iterator<T> it, String dirName, String prefix, Configuration conf)
      throws IOException {
    if (!it.hasNext()) return List.<WrittenFile>of().iterator();
    MessageType type = MessageTypeParser.parseMessageType(schema);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    String name = String.format("%s-%05d.parquet", prefix, index);
    Path dir = new Path(dirName);
    TaskContext task = TaskContext.get();
    long attempt = task == null ? 0 : task.taskAttemptId();
    Path tmp = new Path(new Path(dir, "_attempts"), name + "." + attempt);
    long records = 0;
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(tmp)
            .withConf(conf)
            .withType(type)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .build()) {
      while (it.hasNext()) {
        Group g = groups.newGroup();
        filler.fill(it.next(), g);
        writer.write(g);
        records++;
      }
    }
    FileSystem fs = dir.getFileSystem(conf);
    Path dst = new Path(dir, name);
    if (fs.exists(dst))
      fs.delete(dst, false); // an earlier attempt of this partition finished first
    if (!fs.rename(tmp, dst)) throw new IOException("rename " + tmp + " -> " + dst + " failed");
    return List.of(new WrittenFile(index, name, records, fs.getFileStatus(dst).getLen()))
        .iterator();
  }
}
