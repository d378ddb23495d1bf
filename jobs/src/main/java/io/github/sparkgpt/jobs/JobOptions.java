package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.pipeline.write.RunLease;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every Spark job shares (a picocli mixin): where Spark runs and how the configuration
 * is layered.
 */
public final class JobOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master when not launched by spark-submit (default local[*,4]: every core, 4"
              + " attempts per task; local and local[N] get 4 attempts too).")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "FILE",
      description = "A HOCON file layered over the job's defaults in conf/.")
  File confFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any configuration key, e.g. --set seed=7.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--print-config", description = "Print the effective configuration and exit.")
  boolean printConfig;

  @Option(names = "--verbose", description = "Spark's INFO logs and stack traces on failure.")
  boolean verbose;

  @Option(
      names = "--break-lease",
      description =
          "Take over the output's lease when its holder is gone: its process is dead on this host,"
              + " or it has not renewed the lease for --lease-max-age (a live run renews every"
              + " minute).")
  boolean breakLease;

  @Option(
      names = "--lease-max-age",
      paramLabel = "MINUTES",
      description =
          "Time without renewal after which a "
              + "lease counts as stale (default ${DEFAULT-VALUE}).")
  long leaseMaxAgeMinutes = RunLease.DEFAULT_MAX_AGE.toMinutes();

  /** How this run treats another run's lease on its output. */
  RunLease.Policy leasePolicy() {
    if (leaseMaxAgeMinutes < 2) {
      throw new UsageException(
          "--lease-max-age must be at least 2 minutes (leases renew every minute), got "
              + leaseMaxAgeMinutes);
    }
    return new RunLease.Policy(breakLease, Duration.ofMinutes(leaseMaxAgeMinutes));
  }

  /**
   * The job's effective configuration (defaults, --conf, --set, then the named options), or null
   * when --print-config asked for it to be printed instead of running.
   */
  Config load(String job, Map<String, Object> namedOptions) {
    return load(job, namedOptions, java.util.Set.of());
  }

  /**
   * As {@link #load(String, Map)}, also accepting {@code optionalKeys} that the job's defaults file
   * leaves out.
   */
  Config load(String job, Map<String, Object> namedOptions, java.util.Set<String> optionalKeys) {
    if (verbose) System.setProperty("sparkgpt.verbose", "true");
    Config config = JobConfig.load(job, confFile, overrides, namedOptions, optionalKeys);
    if (printConfig) {
      System.out.println(JobConfig.render(job, config));
      return null;
    }
    return config;
  }
}
