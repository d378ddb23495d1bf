package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.StageOutput;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The read stage: input paths to an RDD of kept {@link io.github.sparkgpt.pipeline.Document}s and
 * {@link io.github.sparkgpt.pipeline.RejectedDocument}s (stage {@code read}).
 *
 * <p>On the driver, {@link #plan} expands the paths into a sorted file list ({@link InputPlanner});
 * a path that matches nothing is an error, not a rejection. The files are then spread over
 * partitions by size ({@link PartitionBalancer}) and each task streams its files one record at a
 * time ({@link PartitionRecords}, one {@link FileRecordsIterator} per file). Many files give
 * parallelism; a single huge uncompressed file is read by one task (repartition the result if later
 * stages need more).
 */
public final class CorpusReader implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ReadOptions options;

  public CorpusReader(ReadOptions options) {
    this.options = options;
  }

  /** A reader with the default options. */
  public CorpusReader() {
    this(ReadOptions.DEFAULTS);
  }

  public ReadOptions options() {
    return options;
  }

  /**
   * The sorted, de-duplicated files to read, with their formats and ids (see {@link
   * InputPlanner#plan}).
   *
   * @throws IllegalArgumentException if a path does not exist, a glob matches nothing or a
   *     directory has no files
   */
  public ReadPlan plan(Configuration conf, List<String> paths) {
    return InputPlanner.plan(conf, paths, options::formatFor);
  }

  public JavaRDD<StageOutput> read(SparkSession spark, List<String> paths) {
    return read(JavaSparkContext.fromSparkContext(spark.sparkContext()), paths);
  }

  public JavaRDD<StageOutput> read(JavaSparkContext jsc, List<String> paths) {
    return read(jsc, plan(jsc.hadoopConfiguration(), paths));
  }

  /**
   * Read a plan made by {@link #plan}; use this form to report {@link ReadPlan#totalBytes()} as
   * throughput.
   */
  public JavaRDD<StageOutput> read(JavaSparkContext jsc, ReadPlan plan) {
    int n =
        PartitionBalancer.partitions(
            options.partitions(), plan.files().size(), jsc.defaultParallelism());
    List<List<InputFile>> groups = PartitionBalancer.balance(plan.files(), n);
    // Spark's own wrapper: Java- and Kryo-serializable (broadcasts use spark.serializer, which may
    // be Kryo).
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
    ReadOptions opts = options;
    return jsc.parallelize(groups, groups.size())
        .flatMap(
            group -> {
              PartitionRecords it = new PartitionRecords(group, opts, conf.value().value());
              TaskContext task = TaskContext.get();
              if (task != null)
                task.addTaskCompletionListener(
                    (TaskCompletionListener) ctx -> it.close()); // failure, early stop
              return it;
            });
  }

  /**
   * Stream the outputs of one file outside Spark (tests, benchmarks, tools). Close it if not read
   * to the end.
   */
  public FileRecordsIterator readFile(InputFile file, Configuration conf) {
    return FileRecordsIterator.open(file, options, conf);
  }
}
