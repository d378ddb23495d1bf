package io.github.sparkgpt.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs a picocli job command and turns every failure into one line on stderr and a non-zero exit code, the
 * contract orchestrators rely on: 0 success, 1 failure while running, 2 bad usage or configuration.
 */
public final class JobRunner {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private JobRunner() {}

  public static int execute(String job, Callable<Integer> command, String[] args) {
    CommandLine cli = new CommandLine(command);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable root = ex;
      if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
        System.err.println(job + ": error: " + oneLine(ex));
        return USAGE;
      }
      System.err.println(job + ": failed: " + oneLine(root));
      if (Boolean.getBoolean("sparkgpt.verbose")) ex.printStackTrace();
      return FAILED;
    });
    cli.setParameterExceptionHandler((ex, a) -> {
      System.err.println(job + ": error: " + ex.getMessage() + " (see --help)");
      return USAGE;
    });
    return cli.execute(args);
  }

  /** Message of the deepest cause that has one, flattened to one line. */
  static String oneLine(Throwable t) {
    Throwable best = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) best = c;
      if (c.getCause() == c) break;
    }
    String msg = best.getMessage() == null ? best.getClass().getSimpleName() : best.getMessage();
    if (!(best instanceof UsageException || best instanceof IllegalArgumentException
        || best instanceof IllegalStateException || best instanceof java.io.UncheckedIOException)) {
      msg = best.getClass().getSimpleName() + ": " + msg;
    }
    String line = msg.replaceAll("\\s*\\R\\s*", " ").trim();
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }
}
