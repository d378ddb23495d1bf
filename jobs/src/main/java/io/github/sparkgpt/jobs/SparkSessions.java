package io.github.sparkgpt.jobs;

import io.github.sparkgpt.pipeline.PipelineKryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creates the job's Spark session: the master comes from spark-submit, or defaults to local[*] when run directly. */
public final class SparkSessions {
  private SparkSessions() {}

  /** When Kryo is the serializer (set by a job or the cluster's defaults), add {@code registrator} to the list. */
  static void addKryoRegistrator(SparkConf conf, String registrator) {
    if (!conf.get("spark.serializer", "").endsWith("KryoSerializer")) return;
    String existing = conf.get("spark.kryo.registrator", "");
    if (!java.util.Arrays.asList(existing.split(",")).contains(registrator)) {
      conf.set("spark.kryo.registrator", existing.isEmpty() ? registrator : existing + "," + registrator);
    }
  }

  public static SparkSession create(String appName, String master, SparkConf extra) {
    SparkConf conf = extra == null ? new SparkConf() : extra;
    conf.setIfMissing("spark.app.name", appName);
    if (master != null && !master.isBlank()) conf.setMaster(master);
    conf.setIfMissing("spark.master", "local[*]");
    // Our writers emit their own markers; Hadoop's per-directory _SUCCESS files would only confuse readers.
    conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    addKryoRegistrator(conf, PipelineKryoRegistrator.class.getName());
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    if (!Boolean.getBoolean("sparkgpt.verbose")) spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
