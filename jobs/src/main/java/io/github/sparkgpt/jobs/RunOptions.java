package io.github.sparkgpt.jobs;

import com.typesafe.config.Config;
import io.github.sparkgpt.jobs.storage.Storage;
import io.github.sparkgpt.jobs.storage.TaskRunStaging;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where a task run goes (--output, --run-id) and the start every task command shares: at most one
 * run per run id, one at a time.
 */
public final class RunOptions {
  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Parent of the run directory: a local path or a URI (hdfs://, s3a://, file://).")
  String output;

  @Option(
      names = "--run-id",
      required = true,
      paramLabel = "ID",
      description =
          "Run directory name under --output; {date} is replaced by the UTC date (YYYY-MM-DD), for"
              + " schedulers without templating.")
  String runId;

  /** {@code <output>/<run-id>} with {@code {date}} expanded; an unsafe run id is a usage error. */
  TaskRunStaging runDirectory(Storage storage) {
    return TaskRunStaging.open(storage, output, runId);
  }

  /** What a task command does once its run is leased and not yet complete. */
  interface LeasedTask<S> {
    int run(Config config, S settings, TaskRunStaging staged) throws IOException;
  }

  /**
   * The effective configuration (none for --print-config), the job's settings, the run directory,
   * then {@code body} at most once per run id and one run at a time.
   */
  <S> int runOnce(
      String job,
      JobOptions options,
      Map<String, Object> namedOptions,
      Function<Config, S> settings,
      LeasedTask<S> body)
      throws IOException {
    try (Storage storage = new Storage()) {
      Config config = options.load(job, namedOptions);
      if (config == null) return JobRunner.OK; // --print-config
      S bound = settings.apply(config);
      TaskRunStaging staged = runDirectory(storage);
      return staged.runOnce(job, options.leasePolicy(), () -> body.run(config, bound, staged));
    }
  }
}
