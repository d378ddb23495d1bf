package io.github.sparkgpt.jobs.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;

import io.github.sparkgpt.jobs.UsageException;
import io.github.sparkgpt.jobs.decode.BatchDecoder;
import io.github.sparkgpt.pipeline.write.JsonFiles;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch generation: every input row with a prompt gets {@code completion} and {@code finish_reason}
 * ({@code stop} or {@code length}) columns (all its other columns kept) in {@code completions/};
 * rows without a prompt go to {@code rejected/} under reason {@value #MISSING_PROMPT}; {@code
 * generation.json} holds the counts (in = written + quarantined). The output is committed by rename
 * with {@code _SUCCESS}; an existing output is refused.
 */
public final class GenerateRun {
  public static final String COMPLETION = "completion";
  public static final String FINISH_REASON = "finish_reason";
  public static final String COMPLETIONS = "completions";
  public static final String REJECTED = "rejected";
  public static final String COUNTS = "generation.json";
  public static final String MISSING_PROMPT = "missing_prompt";

  private GenerateRun() {}

  /** The counts written to generation.json. */
  public record Counts(long in, long written, long quarantined) {}

  public static Counts run(
      SparkSession spark,
      String input,
      String output,
      String promptColumn,
      String idColumn,
      String format,
      BatchDecoder decoder) {
    Dataset<Row> in = read(spark, input);
    List<String> columns = Arrays.asList(in.columns());
    if (!columns.contains(promptColumn))
      throw new UsageException("--prompt-column " + promptColumn + ": not a column of " + input);
    if (!idColumn.isEmpty() && !columns.contains(idColumn))
      throw new UsageException("--id-column " + idColumn + ": not a column of " + input);
    for (String added : List.of(COMPLETION, FINISH_REASON))
      if (columns.contains(added))
        throw new UsageException(input + " already has a column '" + added + "'");
    OutputDirectory out =
        OutputDirectory.prepare(
            output,
            List.of(input),
            false,
            "generate",
            RunLease.Policy.DEFAULT,
            spark.sparkContext().hadoopConfiguration());
    try {
      Counts counts = write(spark, in, promptColumn, format, decoder, out);
      out.commit();
      return counts;
    } catch (Throwable e) {
      out.abort();
      throw e;
    }
  }

  private static Counts write(
      SparkSession spark,
      Dataset<Row> in,
      String promptColumn,
      String format,
      BatchDecoder decoder,
      OutputDirectory out) {
    Column p = col(promptColumn);
    Column present = p.isNotNull().and(trim(p.cast("string")).notEqual(""));
    Dataset<Row> kept = in.filter(present);
    Dataset<Row> bad = in.filter(not(present)).withColumn("reason", lit(MISSING_PROMPT));
    String tmp = out.temporary().toString();
    bad.write().json(tmp + "/" + REJECTED);

    int field = kept.schema().fieldIndex(promptColumn);
    StructType schema =
        kept.schema()
            .add(COMPLETION, DataTypes.StringType)
            .add(FINISH_REASON, DataTypes.StringType);
    JavaRDD<Row> rows = kept.toJavaRDD().mapPartitions(it -> decoder.completeRows(it, field));
    spark.createDataFrame(rows, schema).write().format(format).save(tmp + "/" + COMPLETIONS);

    // counted from what was written, so a retried task cannot make the numbers add up by accident
    long written = spark.read().format(format).load(tmp + "/" + COMPLETIONS).count();
    Counts c = new Counts(in.count(), written, bad.count());
    if (c.in() != c.written() + c.quarantined())
      throw new IllegalStateException("rows in " + c.in() + " != written + quarantined: " + c);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rows_in", c.in());
    json.put("written", c.written());
    json.put("quarantined", Map.of(MISSING_PROMPT, c.quarantined()));
    JsonFiles.writeJson(out.fileSystem(), new Path(out.temporary(), COUNTS), json);
    return c;
  }

  /** JSON lines, or Parquet when the input's name ends with .parquet. */
  private static Dataset<Row> read(SparkSession spark, String input) {
    return input.replaceAll("/+$", "").endsWith(".parquet")
        ? spark.read().parquet(input)
        : spark.read().json(input);
  }
}
