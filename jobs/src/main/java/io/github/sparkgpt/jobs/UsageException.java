package io.github.sparkgpt.jobs;

/**
 * A problem with what the user asked for (bad option, missing file): printed as one line, exit code
 * 2.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
