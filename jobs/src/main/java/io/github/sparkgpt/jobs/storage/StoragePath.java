package io.github.sparkgpt.jobs.storage;

import io.github.sparkgpt.jobs.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A path option as the user gave it: a plain local path or a {@code file:} URI (used directly, as a
 * {@link java.nio.file.Path}), or a Hadoop URI of another filesystem ({@code hdfs://}, {@code
 * s3a://}, ...), which the driver reaches through Hadoop's {@code FileSystem}. {@code
 * file:///tmp/x} is {@code /tmp/x}, never {@code ./file:}.
 */
public final class StoragePath {
  /**
   * A URI scheme of two or more characters (one letter followed by ':' would be a Windows drive).
   */
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):.*");

  private final String given;
  private final Path local;
  private final org.apache.hadoop.fs.Path remote;

  private StoragePath(String given, Path local, org.apache.hadoop.fs.Path remote) {
    this.given = given;
    this.local = local;
    this.remote = remote;
  }

  /**
   * Parses {@code value} of the option {@code option}; a malformed URI is a one-line usage error
   * naming both.
   */
  public static StoragePath of(String option, String value) {
    if (value == null || value.isBlank()) throw new UsageException(option + ": empty path");
    var m = SCHEME.matcher(value);
    if (!m.matches()) return new StoragePath(value, Path.of(value), null);
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new UsageException(option + " " + value + ": not a valid URI (" + e.getReason() + ")");
    }
    if (scheme.equals("file")) {
      if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
        throw new UsageException(
            option + " " + value + ": a file: URI needs an absolute path (file:///dir/...)");
      }
      String host = uri.getAuthority();
      if (host != null && !host.isEmpty() && !host.equals("localhost")) {
        throw new UsageException(
            option
                + " "
                + value
                + ": file: URIs name the local machine (file:///dir), not host "
                + host);
      }
      return new StoragePath(value, Path.of(uri.getPath()), null);
    }
    if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
      throw new UsageException(
          option + " " + value + ": give a directory or file below the filesystem root");
    }
    return new StoragePath(
        value, null, new org.apache.hadoop.fs.Path(value)); // normalised: no trailing '/'
  }

  /** A local path as it is (no URI parsing). */
  public static StoragePath local(Path p) {
    return new StoragePath(p.toString(), p, null);
  }

  /** Null-tolerant {@link #of}, for optional options. */
  public static StoragePath ofNullable(String option, String value) {
    return value == null ? null : of(option, value);
  }

  /** True for plain paths and {@code file:} URIs: the job reads and writes them directly. */
  public boolean isLocal() {
    return local != null;
  }

  /** The local path; only for {@link #isLocal()} locations. */
  public Path local() {
    if (local == null) throw new IllegalStateException(given + " is not local");
    return local;
  }

  /** The Hadoop path; for any location (a local one as its {@code file:} URI). */
  public org.apache.hadoop.fs.Path hadoop() {
    return remote != null
        ? remote
        : new org.apache.hadoop.fs.Path(local.toAbsolutePath().normalize().toUri());
  }

  /** A child location ({@code name} may hold '/'). */
  public StoragePath resolve(String name) {
    return local != null
        ? new StoragePath(given + "/" + name, local.resolve(name), null)
        : new StoragePath(
            given.replaceAll("/+$", "") + "/" + name,
            null,
            new org.apache.hadoop.fs.Path(remote, name));
  }

  /** The last path element. */
  public String name() {
    return local != null ? local.getFileName().toString() : remote.getName();
  }

  /** As the user wrote it (for messages). */
  @Override
  public String toString() {
    return local != null ? local.toString() : remote.toString();
  }
}
