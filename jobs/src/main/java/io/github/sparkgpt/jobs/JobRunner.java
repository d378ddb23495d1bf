package io.github.sparkgpt.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs a picocli job command and turns every failure into one line on stderr and a non-zero exit
 * code, the contract orchestrators rely on: 0 success, 1 failure while running, 2 bad usage or
 * configuration.
 */
public final class JobRunner {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private JobRunner() {}

  public static int execute(String job, Callable<Integer> command, String[] args) {
    CommandLine cli = new CommandLine(command);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
            System.err.println(job + ": error: " + oneLine(ex));
            return USAGE;
          }
          System.err.println(job + ": failed: " + oneLine(ex));
          if (Boolean.getBoolean("sparkgpt.verbose")) ex.printStackTrace();
          return FAILED;
        });
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          System.err.println(job + ": error: " + ex.getMessage() + " (see --help)");
          return USAGE;
        });
    return cli.execute(args);
  }

  /**
   * One line for a failure: the outermost of our own exceptions (their messages already name the
   * file or option and the cause), otherwise the deepest cause that has a message, prefixed with
   * its type.
   */
  static String oneLine(Throwable t) {
    String msg = null;
    for (Throwable c = t; c != null && msg == null; c = c.getCause() == c ? null : c.getCause()) {
      if (isOurs(c) && c.getMessage() != null && !c.getMessage().isBlank()) msg = c.getMessage();
    }
    if (msg == null) {
      Throwable deepest = t;
      for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
        if (c.getMessage() != null && !c.getMessage().isBlank()) deepest = c;
      }
      msg =
          deepest.getClass().getSimpleName()
              + (deepest.getMessage() == null ? "" : ": " + deepest.getMessage());
    }
    String line = msg.replaceAll("\\s*\\R\\s*", " ").trim();
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }

  private static boolean isOurs(Throwable t) {
    return t instanceof UsageException
        || t instanceof IllegalArgumentException
        || t instanceof IllegalStateException
        || t instanceof java.io.UncheckedIOException;
  }
}
