package io.github.sparkgpt.pipeline.write;

import java.io.IOException;
import java.net.URI;
import java.util.function.BiPredicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code failrename:}, whose renames fail when {@link #failWhen}
 * says so.
 */
public class FailingRenameFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "failrename";
  static volatile BiPredicate<Path, Path> failWhen = (src, dst) -> false;

  /**
   * A configuration that maps the scheme to this class (uncached, so each test sees its own
   * predicate).
   */
  static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs." + SCHEME + ".impl", FailingRenameFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    return conf;
  }

  static String uri(java.nio.file.Path local) {
    return SCHEME + "://" + local.toAbsolutePath();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    if (failWhen.test(src, dst))
      throw new IOException("injected rename failure " + src + " -> " + dst);
    return super.rename(src, dst);
  }
}
