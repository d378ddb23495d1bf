package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local filesystem under the scheme {@code flaky:}, whose reads fail with a connection reset
 * once they reach each offset in {@link #FAIL_AT} (consumed as they fire): storage that fails now
 * and then, as object stores do.
 */
public final class FlakyFileSystem extends RawLocalFileSystem {
  static final List<Long> FAIL_AT = java.util.Collections.synchronizedList(new ArrayList<>());
  static volatile int opens;

  @Override
  public URI getUri() {
    return URI.create("flaky:///");
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    opens++;
    FSDataInputStream in = super.open(new Path(f.toUri().getPath()), bufferSize);
    return new FSDataInputStream(
        new FSInputStream() {
          @Override
          public void seek(long pos) throws IOException {
            in.seek(pos);
          }

          @Override
          public long getPos() throws IOException {
            return in.getPos();
          }

          @Override
          public boolean seekToNewSource(long targetPos) {
            return false;
          }

          @Override
          public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            long pos = in.getPos();
            synchronized (FAIL_AT) {
              if (!FAIL_AT.isEmpty() && pos >= FAIL_AT.get(0)) {
                FAIL_AT.remove(0);
                throw new SocketException("Connection reset");
              }
              if (!FAIL_AT.isEmpty()) len = (int) Math.max(1, Math.min(len, FAIL_AT.get(0) - pos));
            }
            return in.read(b, off, len);
          }

          @Override
          public void close() throws IOException {
            in.close();
          }
        });
  }
}
