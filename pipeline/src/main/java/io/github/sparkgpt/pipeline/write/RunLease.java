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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run's exclusive claim on an output: a small JSON file (user, host, pid, start time) next to the output,
 * {@code <parent>/.<name>.lease}, created only if absent. A second run into the same output is refused with one
 * line naming the holder. A stale lease (its process is dead on this host, or it is older than the policy's max
 * age) is broken only when the policy says so ({@code --break-lease}). {@link #close()} releases it, and only if
 * it is still this run's.
 */
public final class RunLease implements AutoCloseable {
  public static final String SUFFIX = ".lease";
  /** Default age after which a lease held from another host (whose process cannot be checked) counts as stale. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(72);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether a stale lease may be broken, and when a lease whose process cannot be checked is stale. */
  public record Policy(boolean breakStale, Duration maxAge) {
    public static final Policy DEFAULT = new Policy(false, DEFAULT_MAX_AGE);

    public Policy {
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("lease max age must be positive, got " + maxAge);
      }
    }
  }

  /** What a lease file says about its holder. */
  public record Holder(String user, String host, long pid, Instant started, String job, String token) {
    public String describe() {
      return user + "@" + host + " pid " + pid + " (" + job + ", started " + started + ")";
    }
  }

  private final FileSystem fs;
  private final Path file;
  private final Holder holder;
  private boolean released;

  private RunLease(FileSystem fs, Path file, Holder holder) {
    this.fs = fs;
    this.file = file;
    this.holder = holder;
  }

  /** The lease file of a qualified output path. */
  public static Path leaseFile(Path output) {
    Path parent = output.getParent();
    if (parent == null) throw new IllegalArgumentException("output " + output + " is a filesystem root");
    return new Path(parent, "." + output.getName() + SUFFIX);
  }

  /** Takes the lease of {@code output} (any Hadoop URI or local path) for {@code job}. */
  public static RunLease acquire(String output, String job, Policy policy, Configuration conf) {
    try {
      Path p = new Path(output);
      FileSystem fs = p.getFileSystem(conf);
      return acquire(fs, fs.makeQualified(p), job, policy);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease of " + output + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the lease of a qualified {@code output}. Throws {@link IllegalStateException} (one line naming the holder)
   * when another run holds it.
   */
  public static RunLease acquire(FileSystem fs, Path output, String job, Policy policy) {
    Path file = leaseFile(output);
    Holder me = new Holder(System.getProperty("user.name", "?"), localHost(), ProcessHandle.current().pid(),
        Instant.now(), job, UUID.randomUUID().toString());
    try {
      fs.mkdirs(file.getParent());
      Optional<Holder> other = Optional.empty();
      for (int attempt = 0; attempt < 3; attempt++) {
        if (createNew(fs, file, me)) return new RunLease(fs, file, me);
        other = read(fs, file);
        if (other.isPresent() || fs.exists(file)) break; // else the holder just released it: try again
      }
      String who = other.map(Holder::describe).orElse("an unreadable lease");
      Optional<String> stale = other.isEmpty() ? Optional.of("unreadable") : staleReason(other.get(), policy.maxAge());
      if (stale.isEmpty()) {
        throw new IllegalStateException("output " + output + " is in use by " + who + " (lease " + file
            + "); wait for that run to end or choose another output");
      }
      if (!policy.breakStale()) {
        throw new IllegalStateException("output " + output + " has a stale lease held by " + who + " (" + stale.get()
            + "; lease " + file + "); pass --break-lease to take it over");
      }
      // Move the stale lease aside first: if another run broke it and took a new lease meanwhile, that one is
      // put back instead of deleted.
      Path aside = new Path(file.getParent(), file.getName() + ".broken-" + me.token().substring(0, 8));
      if (!fs.rename(file, aside)) throw new IllegalStateException("could not break the stale lease " + file);
      Optional<Holder> moved = read(fs, aside);
      if (!moved.equals(other)) {
        fs.rename(aside, file);
        throw new IllegalStateException("output " + output + " was taken over by another run while breaking its "
            + "stale lease " + file);
      }
      fs.delete(aside, false);
      if (createNew(fs, file, me)) {
        System.err.println("lease: broke the stale lease of " + who + " on " + output + " (" + stale.get() + ")");
        return new RunLease(fs, file, me);
      }
      throw new IllegalStateException("output " + output + " was taken by another run while breaking its stale lease "
          + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease " + file + ": " + e.getMessage(), e);
    }
  }

  /** Why a holder is stale, if it is: its process is gone on this host, or its lease is older than maxAge. */
  static Optional<String> staleReason(Holder h, Duration maxAge) {
    if (h.host().equals(localHost()) && ProcessHandle.of(h.pid()).isEmpty()) {
      return Optional.of("process " + h.pid() + " is not running on " + h.host());
    }
    Duration age = Duration.between(h.started(), Instant.now());
    if (age.compareTo(maxAge) > 0) return Optional.of("older than " + maxAge.toHours() + " h");
    return Optional.empty();
  }

  public Holder holder() { return holder; }

  public Path file() { return file; }

  /** Deletes the lease file if it still names this run; idempotent. */
  @Override
  public void close() {
    if (released) return;
    released = true;
    try {
      Optional<Holder> now = read(fs, file);
      if (now.isPresent() && now.get().token().equals(holder.token())) fs.delete(file, false);
    } catch (IOException e) {
      System.err.println("lease: could not release " + file + ": " + e.getMessage());
    }
  }

  /** Creates the lease only if absent: O_EXCL on a local disk, {@code create(overwrite=false)} elsewhere. */
  private static boolean createNew(FileSystem fs, Path file, Holder h) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toMap(h));
    if ("file".equals(fs.getUri().getScheme())) {
      // Hadoop's local create(overwrite=false) checks, then creates: not atomic. The OS's create-new is.
      try {
        Files.write(java.nio.file.Path.of(file.toUri()), bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
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
      if (fs.exists(file)) return false; // some filesystems report an existing file with a plain IOException
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
      return Optional.of(new Holder(n.path("user").asText("?"), n.path("host").asText("?"), n.path("pid").asLong(-1),
          Instant.parse(n.path("started").asText()), n.path("job").asText("?"), n.path("token").asText("")));
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
