package io.github.sparkgpt.jobs.storage;

import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration before Spark starts: Hadoop's defaults plus {@code
 * spark.hadoop.*} settings.
 */
public final class HadoopConf {
  private static final String PREFIX = "spark.hadoop.";

  private HadoopConf() {}

  /**
   * {@code --conf spark.hadoop.fs.s3a.endpoint=...} reaches the driver's own file access too:
   * spark-submit hands its settings to the driver as system properties, where SparkConf reads them
   * (read here without starting Spark's machinery).
   */
  public static Configuration create() {
    Configuration conf = new Configuration();
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith(PREFIX)) conf.set(key.substring(PREFIX.length()), System.getProperty(key));
    }
    return conf;
  }
}
