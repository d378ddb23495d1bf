package io.github.sparkgpt.jobs;

/** Version strings recorded in manifests and shown by --version. */
public final class Versions {
  public static final String PROJECT = "0.1.0-SNAPSHOT";

  private Versions() {}
}
