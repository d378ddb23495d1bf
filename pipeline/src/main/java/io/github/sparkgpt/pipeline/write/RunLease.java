package io.github.sparkgpt.pipeline.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run's exclusive claim on an output: a small JSON file (user, host, pid, start time) next to
 * the output, {@code <parent>/.<name>.lease}, created only if absent. A second run into the same
 * output is refused with one line naming the holder. The holder renews the lease (its modification
 * time) every minute, so a lease that has not been renewed for the policy's max age belongs to a
 * run that died, on any host; a stale lease (not renewed, or its process is dead on this host) is
 * broken only when the policy says so ({@code --break-lease}). {@link #close()} stops renewing and
 * releases it, and only if it is still this run's.
 */
public final class RunLease implements AutoCloseable {
  public static final String SUFFIX = ".lease";

  /**
   * Default time without renewal after which a lease counts as stale (its holder renews it every
   * minute).
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  static final Duration RENEW_EVERY = Duration.ofMinutes(1);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Whether a stale lease may be broken, and when a lease whose process cannot be checked is stale.
   */
  public record Policy(boolean breakStale, Duration maxAge) {
    public static final Policy DEFAULT = new Policy(false, DEFAULT_MAX_AGE);

    public Policy {
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("lease max age must be positive, got " + maxAge);
      }
    }
  }

  /** What a lease file says about its holder. */
  public record Holder(
      String user, String host, long pid, Instant started, String job, String token) {
    public String describe() {
      return user + "@" + host + " pid " + pid + " (" + job + ", started " + started + ")";
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final Holder holder;
  private final ScheduledExecutorService renewer;
  private boolean released;

  private RunLease(FileSystem fs, Path file, Holder holder, Duration renewEvery) {
    this.fs = fs;
    this.file = file;
    this.holder = holder;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-renewer " + file.getName());
              t.setDaemon(true);
              return t;
            });
    long ms = renewEvery.toMillis();
    renewer.scheduleWithFixedDelay(this::renew, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Touches the lease so that other runs see this one alive; stops when the lease is no longer
   * ours.
   */
  private void renew() {
    try {
      Optional<Holder> now = read(fs, file);
      if (now.isEmpty() || !now.get().token().equals(holder.token())) {
        System.err.println(
            "lease: " + file + " is no longer held by this run; stopped renewing it");
        renewer.shutdown();
        return;
      }
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      System.err.println("lease: could not renew " + file + ": " + e.getMessage());
    }
  }

  /** The lease file of a qualified output path. */
  public static Path leaseFile(Path output) {
    Path parent = output.getParent();
    if (parent == null)
      throw new IllegalArgumentException("output " + output + " is a filesystem root");
    return new Path(parent, "." + output.getName() + SUFFIX);
  }

  /** Takes the lease of {@code output} (any Hadoop URI or local path) for {@code job}. */
  public static RunLease acquire(String output, String job, Policy policy, Configuration conf) {
    try {
      Path p = new Path(output);
      FileSystem fs = p.getFileSystem(conf);
      return acquire(fs, fs.makeQualified(p), job, policy);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot take the lease of " + output + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the lease of a qualified {@code output}. Throws {@link IllegalStateException} (one line
   * naming the holder) when another run holds it.
   */
  public static RunLease acquire(FileSystem fs, Path output, String job, Policy policy) {
    return acquire(fs, output, job, policy, RENEW_EVERY);
  }

  static RunLease acquire(
      FileSystem fs, Path output, String job, Policy policy, Duration renewEvery) {
    Path file = leaseFile(output);
    Holder me =
        new Holder(
            System.getProperty("user.name", "?"),
            localHost(),
            ProcessHandle.current().pid(),
            Instant.now(),
            job,
            UUID.randomUUID().toString());
    try {
      fs.mkdirs(file.getParent());
      Optional<Holder> other = Optional.empty();
      for (int attempt = 0; attempt < 3; attempt++) {
        if (createNew(fs, file, me)) return new RunLease(fs, file, me, renewEvery);
        other = read(fs, file);
        if (other.isPresent() || fs.exists(file))
          break; // else the holder just released it: try again
      }
      String who = other.map(Holder::describe).orElse("an unreadable lease");
      Optional<String> stale =
          other.isEmpty()
              ? Optional.of("unreadable")
              : staleReason(other.get(), lastRenewed(fs, file, other.get()), policy.maxAge());
      if (stale.isEmpty()) {
        throw new IllegalStateException(
            "output "
                + output
                + " is in use by "
                + who
                + " (lease "
                + file
                + "); wait for that run to end or choose another output");
      }
      if (!policy.breakStale()) {
        throw new IllegalStateException(
            "output "
                + output
                + " has a stale lease held by "
                + who
                + " ("
                + stale.get()
                + "; lease "
                + file
                + "); pass --break-lease to take it over");
      }
      // Move the stale lease aside first: if another run broke it and took a new lease meanwhile,
      // that one is
      // put back instead of deleted.
      Path aside =
          new Path(file.getParent(), file.getName() + ".broken-" + me.token().substring(0, 8));
      if (!fs.rename(file, aside))
        throw new IllegalStateException("could not break the stale lease " + file);
      Optional<Holder> moved = read(fs, aside);
      if (!moved.equals(other)) {
        fs.rename(aside, file);
        throw new IllegalStateException(
            "output "
                + output
                + " was taken over by another run while breaking its "
                + "stale lease "
                + file);
      }
      fs.delete(aside, false);
      if (createNew(fs, file, me)) {
        System.err.println(
            "lease: broke the stale lease of " + who + " on " + output + " (" + stale.get() + ")");
        return new RunLease(fs, file, me, renewEvery);
      }
      throw new IllegalStateException(
          "output " + output + " was taken by another run while breaking its stale lease " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Why a holder is stale, if it is: its process is gone on this host, or it has not renewed for
   * maxAge.
   */
  static Optional<String> staleReason(Holder h, Instant lastRenewed, Duration maxAge) {
    if (h.host().equals(localHost()) && ProcessHandle.of(h.pid()).isEmpty()) {
      return Optional.of("process " + h.pid() + " is not running on " + h.host());
    }
    Duration silent = Duration.between(lastRenewed, Instant.now());
    if (silent.compareTo(maxAge) > 0) {
      return Optional.of(
          "not renewed for "
              + silent.toMinutes()
              + " min, more than "
              + maxAge.toMinutes()
              + " min");
    }
    return Optional.empty();
  }

  /** The later of the holder's start and the lease file's modification time (its last renewal). */
  private static Instant lastRenewed(FileSystem fs, Path file, Holder h) {
    try {
      Instant touched = Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
      return touched.isAfter(h.started()) ? touched : h.started();
    } catch (IOException e) {
      return h.started();
    }
  }

  public Holder holder() {
    return holder;
  }

  public Path file() {
    return file;
  }

  /** Deletes the lease file if it still names this run; idempotent. */
  @Override
  public void close() {
    if (released) return;
    released = true;
    renewer.shutdownNow();
    try {
      Optional<Holder> now = read(fs, file);
      if (now.isPresent() && now.get().token().equals(holder.token())) fs.delete(file, false);
    } catch (IOException e) {
      System.err.println("lease: could not release " + file + ": " + e.getMessage());
    }
  }

  /**
   * Creates the lease only if absent: O_EXCL on a local disk, {@code create(overwrite=false)}
   * elsewhere.
   */
  private static boolean createNew(FileSystem fs, Path file, Holder h) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toMap(h));
    if ("file".equals(fs.getUri().getScheme())) {
      // Hadoop's local create(overwrite=false) checks, then creates: not atomic. The OS's
      // create-new is.
      try {
        Files.write(
            java.nio.file.Path.of(file.toUri()),
            bytes,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file))
        return false; // some filesystems report an existing file with a plain IOException
      throw e;
    }
  }

  static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = fs.open(file)) {
      bytes = in.readNBytes(64 * 1024);
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
      return Optional.of(
          new Holder(
              n.path("user").asText("?"),
              n.path("host").asText("?"),
              n.path("pid").asLong(-1),
              Instant.parse(n.path("started").asText()),
              n.path("job").asText("?"),
              n.path("token").asText("")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Map<String, Object> toMap(Holder h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", h.user());
    m.put("host", h.host());
    m.put("pid", h.pid());
    m.put("started", h.started().toString());
    m.put("job", h.job());
    m.put("token", h.token());
    return m;
  }

  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
