package io.github.sparkgpt.jobs.storage;

import io.github.sparkgpt.jobs.pretrain.RunDirectory;
import io.github.sparkgpt.jobs.pretrain.Trainer;
import io.github.sparkgpt.pipeline.write.OutputDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * A pretraining run directory on cluster storage, trained in a local working directory: metrics and
 * plots are published after every round, each checkpoint after it is saved (temp + rename, then its
 * own {@code _SUCCESS}; only the newest {@code keep} stay), the rest at the end with the run's
 * {@code _SUCCESS} last. {@code --resume} copies back metrics.jsonl, config.conf and the newest
 * complete checkpoint. For a local run every method is a no-op.
 */
public final class PretrainStaging implements Trainer.Listener {
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

  /**
   * An upload that a killed driver left half done (RemoteFiles' hidden temp sibling of a step
   * directory).
   */
  private static final Pattern STEP_UPLOAD = Pattern.compile("\\.step-\\d+\\.tmp-[0-9a-f]{8}");

  /** Top-level files of a run, published after each round (the plots) and at the end (all). */
  private static final List<String> ROUND_FILES =
      List.of(RunDirectory.METRICS, "loss.png", "perplexity.png");

  private final StagedDirectory dir;
  private final int keep;
  private final PrintStream log;

  public PretrainStaging(StagedDirectory dir, int keepCheckpoints, PrintStream log) {
    this.dir = dir;
    this.keep = keepCheckpoints;
    this.log = log;
  }

  /** Where the job writes its run directory. */
  public Path local() {
    return dir.local();
  }

  /** True when the cluster location already holds (part of) a run: metrics or checkpoints. */
  public boolean remoteHoldsRun() throws IOException {
    if (!dir.isRemote()) return false;
    return dir.files().exists(dir.remote(RunDirectory.METRICS)) || !remoteSteps(false).isEmpty();
  }

  /**
   * For --resume: removes the checkpoint uploads a killed driver left half done (hidden, never
   * read).
   */
  public void removeHalfUploads() throws IOException {
    if (!dir.isRemote()) return;
    for (FileStatus st : dir.files().list(dir.remote(RunDirectory.CHECKPOINTS))) {
      if (STEP_UPLOAD.matcher(st.getPath().getName()).matches()) {
        log.println("pretrain: removing the half-uploaded " + st.getPath());
        dir.files().delete(st.getPath());
      }
    }
  }

  /**
   * For --resume (and reports): copies metrics.jsonl, config.conf and the newest complete
   * checkpoint to the driver.
   */
  public void downloadForResume() throws IOException {
    if (!dir.isRemote()) return;
    for (String f : List.of(RunDirectory.METRICS, RunDirectory.CONFIG)) {
      if (dir.files().isFile(dir.remote(f)))
        dir.files().downloadFile(dir.remote(f), local().resolve(f));
    }
    List<FileStatus> complete = remoteSteps(true);
    if (complete.isEmpty()) return;
    FileStatus newest = complete.get(complete.size() - 1);
    String name = newest.getPath().getName();
    int n =
        dir.files()
            .download(
                newest.getPath(),
                local().resolve(RunDirectory.CHECKPOINTS).resolve(name),
                rel -> !rel.contains("/") && !rel.equals(OutputDirectory.SUCCESS));
    log.println("copied " + n + " files of " + newest.getPath() + " to the driver");
  }

  /** The run (re)starts: it is not complete until {@link #finished()}; its config is published. */
  public void started() {
    dir.clearSuccess();
    dir.publishFile(RunDirectory.CONFIG);
  }

  @Override
  public void metricsWritten() {
    for (String f : ROUND_FILES) dir.publishFile(f);
  }

  @Override
  public void checkpointSaved(Path checkpoint) throws IOException {
    if (!dir.isRemote()) return;
    String rel = RunDirectory.CHECKPOINTS + "/" + checkpoint.getFileName();
    dir.publishDirectory(rel, true);
    List<FileStatus> steps = remoteSteps(false);
    for (int i = 0; i < steps.size() - keep; i++) dir.files().delete(steps.get(i).getPath());
    log.println("checkpoint: published to " + dir.remote(rel));
  }

  /**
   * Publishes every top-level file of the local run (report, stats page, plots, metrics), then
   * {@code _SUCCESS}.
   */
  public void finished() throws IOException {
    if (!dir.isRemote()) return;
    try (var s = Files.list(local())) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p)
            && !name.equals(OutputDirectory.SUCCESS)
            && !name.startsWith(".")) dir.publishFile(name);
      }
    }
    dir.markSuccess();
  }

  /**
   * The remote step-N directories, ascending; with {@code completeOnly}, those with their own
   * _SUCCESS.
   */
  private List<FileStatus> remoteSteps(boolean completeOnly) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    boolean runComplete = completeOnly && dir.files().isFile(dir.remote(OutputDirectory.SUCCESS));
    for (FileStatus st : dir.files().list(dir.remote(RunDirectory.CHECKPOINTS))) {
      if (!st.isDirectory() || !STEP_DIR.matcher(st.getPath().getName()).matches()) continue;
      if (completeOnly
          && !runComplete
          && !dir.files()
              .isFile(new org.apache.hadoop.fs.Path(st.getPath(), OutputDirectory.SUCCESS))) {
        continue;
      }
      out.add(st);
    }
    out.sort(java.util.Comparator.comparingLong(st -> step(st.getPath().getName())));
    return out;
  }

  private static long step(String name) {
    var m = STEP_DIR.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The newest remote checkpoint marked complete, if any (for messages and tests). */
  public Optional<org.apache.hadoop.fs.Path> newestRemoteCheckpoint() throws IOException {
    List<FileStatus> s = remoteSteps(true);
    return s.isEmpty() ? Optional.empty() : Optional.of(s.get(s.size() - 1).getPath());
  }
}
