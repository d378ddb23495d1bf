package io.github.sparkgpt.jobs.storage;

import io.github.sparkgpt.jobs.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * One job's access to its path options: local paths and {@code file:} URIs are used in place;
 * inputs on another filesystem that the driver reads (checkpoints, run directories for reports) are
 * copied into a {@link LocalScratch} directory; outputs there are staged locally and published (see
 * {@link StagedDirectory}).
 */
public final class Storage implements AutoCloseable {
  private final RemoteFiles files;
  private final Completeness completeness;
  private final LocalScratch scratch = new LocalScratch();

  public Storage() {
    this(new RemoteFiles(HadoopConf.create()));
  }

  public Storage(RemoteFiles files) {
    this.files = files;
    this.completeness = new Completeness(files);
  }

  public RemoteFiles files() {
    return files;
  }

  public Completeness completeness() {
    return completeness;
  }

  public LocalScratch scratch() {
    return scratch;
  }

  /**
   * A checkpoint directory the driver can load: the local one itself, or a copy of a cluster one
   * that is marked complete (its top-level files: model.zip, config.json, tokenizer.json,
   * checkpoint.json).
   */
  public Path checkpoint(String option, StoragePath dir) {
    if (dir.isLocal()) return dir.local();
    completeness.requireCheckpoint(option, dir);
    Path local = scratch.newDirectory("checkpoint");
    copy(option, dir, local, rel -> !rel.contains("/") && !rel.startsWith("."));
    return local;
  }

  /**
   * A local view of a directory: itself, or a copy of the files {@code include} accepts (see
   * RemoteFiles#download).
   */
  public Path directory(String option, StoragePath dir, Predicate<String> include) {
    if (dir.isLocal()) return dir.local();
    Path local = scratch.newDirectory("input");
    copy(option, dir, local, include);
    return local;
  }

  /**
   * A pretraining run directory the driver can read: the local one itself, or a copy of a cluster
   * run's top-level files (metrics.jsonl, config.conf, _SUCCESS, ...) and of its newest complete
   * checkpoint.
   */
  public Path pretrainRun(String option, StoragePath dir) {
    if (dir.isLocal()) return dir.local();
    Path local = directory(option, dir, rel -> !rel.contains("/"));
    try {
      new PretrainStaging(new StagedDirectory(dir, local, files), Integer.MAX_VALUE, System.out)
          .downloadForResume();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + dir + " to the driver: " + e.getMessage(), e);
    }
    return local;
  }

  /**
   * A task run (or a directory of runs) the driver can read: itself, or a copy without the models
   * (model/).
   */
  public Path taskRuns(String option, StoragePath dir) {
    return directory(option, dir, rel -> !rel.equals("model/") && !rel.endsWith("/model/"));
  }

  /** Where an output directory is written on the driver, and how it reaches its location. */
  public StagedDirectory output(StoragePath target) {
    return new StagedDirectory(
        target, target.isLocal() ? target.local() : scratch.newDirectory("output"), files);
  }

  private void copy(String option, StoragePath dir, Path local, Predicate<String> include) {
    try {
      if (!files.isDirectory(dir.hadoop()))
        throw new UsageException(option + " " + dir + ": no such directory");
      files.download(dir.hadoop(), local, include);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + dir + " to the driver: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    scratch.close();
  }
}
