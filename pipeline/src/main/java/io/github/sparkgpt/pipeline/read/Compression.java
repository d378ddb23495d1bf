package io.github.sparkgpt.pipeline.read;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Stream compression picked by file extension. Neither gzip nor zstd files can be split across
 * tasks.
 */
public enum Compression {
  NONE,
  GZIP,
  ZSTD;

  public static Compression forFileName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) return GZIP;
    if (n.endsWith(".zst")) return ZSTD;
    return NONE;
  }

  static String stripSuffix(String lowerName) {
    if (lowerName.endsWith(".gz")) return lowerName.substring(0, lowerName.length() - 3);
    if (lowerName.endsWith(".zst")) return lowerName.substring(0, lowerName.length() - 4);
    return lowerName;
  }

  /** Wrap a raw stream; reads the gzip header at once, so a non-gzip ".gz" file fails here. */
  public InputStream wrap(InputStream raw) throws IOException {
    return switch (this) {
      case NONE -> raw;
      // Multi-member gzip (.warc.gz has one member per record, bgzip):
      // java.util.zip.GZIPInputStream decides
      // whether another member follows from available(), which remote streams may report as 0,
      // silently
      // dropping the rest of the file. commons-compress (shipped with Spark) reads members until
      // real EOF.
      case GZIP -> new GzipCompressorInputStream(new BufferedInputStream(raw, 64 * 1024), true);
      case ZSTD -> new ZstdInputStream(raw);
    };
  }
}
