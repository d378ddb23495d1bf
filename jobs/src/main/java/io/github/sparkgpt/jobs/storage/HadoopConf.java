package io.github.sparkgpt.jobs.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/** The driver's Hadoop configuration before Spark starts: Hadoop's defaults plus {@code spark.hadoop.*} settings. */
public final class HadoopConf {
  private static final String PREFIX = "spark.hadoop.";

  private HadoopConf() {}

  /** {@code --conf spark.hadoop.fs.s3a.endpoint=...} (spark-submit) reaches the driver's own file access too. */
  public static Configuration create() {
    Configuration conf = new Configuration();
    for (Tuple2<String, String> kv : new SparkConf().getAll()) {
      if (kv._1().startsWith(PREFIX)) conf.set(kv._1().substring(PREFIX.length()), kv._2());
    }
    return conf;
  }
}
