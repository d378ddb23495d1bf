package io.github.sparkgpt.jobs;

import io.github.sparkgpt.pipeline.PipelineKryoRegistrator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the job's Spark session: the master comes from spark-submit, or defaults to local[*,4]
 * when run directly. A plain local master (local, local[N], local[*]) gives each task one attempt,
 * where a cluster gives four (spark.task.maxFailures, which local mode ignores): it is rewritten to
 * local[N,4] so that one failed attempt (an out-of-memory task, a transient read error) is retried,
 * as it would be on a cluster. local[N,F] is kept as given.
 */
public final class SparkSessions {
  /** Attempts per task on a local master, Spark's spark.task.maxFailures default on a cluster. */
  public static final int LOCAL_TASK_ATTEMPTS = 4;

  public static final String DEFAULT_MASTER = "local[*," + LOCAL_TASK_ATTEMPTS + "]";
  private static final Pattern PLAIN_LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9][0-9]*)\\])?");

  private SparkSessions() {}

  /**
   * {@code master} with {@link #LOCAL_TASK_ATTEMPTS} attempts per task when it is a plain local
   * master.
   */
  static String withTaskRetries(String master) {
    Matcher m = PLAIN_LOCAL.matcher(master.trim());
    if (!m.matches()) return master;
    return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + LOCAL_TASK_ATTEMPTS + "]";
  }

  /**
   * When Kryo is the serializer (set by a job or the cluster's defaults), add {@code registrator}
   * to the list.
   */
  static void addKryoRegistrator(SparkConf conf, String registrator) {
    if (!conf.get("spark.serializer", "").endsWith("KryoSerializer")) return;
    String existing = conf.get("spark.kryo.registrator", "");
    if (!java.util.Arrays.asList(existing.split(",")).contains(registrator)) {
      conf.set(
          "spark.kryo.registrator",
          existing.isEmpty() ? registrator : existing + "," + registrator);
    }
  }

  public static SparkSession create(String appName, String master, SparkConf extra) {
    SparkConf conf = extra == null ? new SparkConf() : extra;
    conf.setIfMissing("spark.app.name", appName);
    if (master != null && !master.isBlank()) conf.setMaster(master);
    conf.setIfMissing("spark.master", DEFAULT_MASTER);
    conf.setMaster(withTaskRetries(conf.get("spark.master")));
    // Our writers emit their own markers; Hadoop's per-directory _SUCCESS files would only confuse
    // readers.
    conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    addKryoRegistrator(conf, PipelineKryoRegistrator.class.getName());
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    if (!Boolean.getBoolean("sparkgpt.verbose")) spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
