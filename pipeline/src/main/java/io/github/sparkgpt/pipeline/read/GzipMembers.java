package io.github.sparkgpt.pipeline.read;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * A multi-member gzip stream decoded member by member, knowing where each member starts in the
 * file, so a reader can skip a damaged member and go on at the next one. {@code java.util.zip} and
 * commons-compress decode concatenated members as one stream and cannot say where a member began,
 * nor continue after corrupt data. Each member's CRC-32 and length are checked at its end; corrupt
 * data raises {@link CorruptMemberException} naming the member.
 */
final class GzipMembers extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  /**
   * Data of the member starting at {@link #memberStart} is damaged (bad header, deflate data, CRC
   * or length).
   */
  static final class CorruptMemberException extends IOException {
    final long memberStart;

    CorruptMemberException(long memberStart, String message) {
      super("corrupt gzip member at byte " + memberStart + ": " + message);
      this.memberStart = memberStart;
    }
  }

  private final ReopeningInputStream raw;
  private final byte[] buf = new byte[1 << 16];
  private int bufPos;
  private int bufLen;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private boolean inMember;
  private long memberStart;
  private long memberOut;
  private long out;

  /** Decompressed offset of each recent member's first byte -> the member's offset in the file. */
  private final TreeMap<Long, Long> starts = new TreeMap<>();

  GzipMembers(ReopeningInputStream raw) {
    this.raw = raw;
  }

  /** Offset in the file of the next byte not yet handed to the inflater. */
  private long rawPos() {
    return raw.position() - (bufLen - bufPos);
  }

  private boolean fill() throws IOException {
    bufPos = 0;
    bufLen = Math.max(0, raw.read(buf, 0, buf.length));
    return bufLen > 0;
  }

  private int rawByte() throws IOException {
    if (bufPos == bufLen && !fill()) return -1;
    return buf[bufPos++] & 0xff;
  }

  private int needByte(String what) throws IOException {
    int b = rawByte();
    if (b < 0)
      throw new EOFException(
          "gzip member at byte " + memberStart + " ends early (in its " + what + ")");
    return b;
  }

  /** Parse a member header at the current position; false at a clean end of the file. */
  private boolean startMember() throws IOException {
    long start = rawPos();
    int b0 = rawByte();
    if (b0 < 0) return false;
    memberStart = start;
    int b1 = needByte("header");
    int cm = needByte("header");
    if (b0 != 0x1f || b1 != 0x8b || cm != 8)
      throw new CorruptMemberException(start, "no gzip header");
    int flags = needByte("header");
    for (int i = 0; i < 6; i++) needByte("header"); // mtime, extra flags, OS
    if ((flags & FEXTRA) != 0) {
      int len = needByte("header") | needByte("header") << 8;
      for (int i = 0; i < len; i++) needByte("header");
    }
    if ((flags & FNAME) != 0)
      while (needByte("header") != 0) {
        /* file name */
      }
    if ((flags & FCOMMENT) != 0)
      while (needByte("header") != 0) {
        /* comment */
      }
    if ((flags & FHCRC) != 0) {
      needByte("header");
      needByte("header");
    }
    inflater.reset();
    crc.reset();
    memberOut = 0;
    starts.put(out, start);
    while (starts.size() > 64) starts.pollFirstEntry();
    inMember = true;
    return true;
  }

  private void finishMember() throws IOException {
    long wantCrc = 0;
    long wantSize = 0;
    for (int i = 0; i < 4; i++) wantCrc |= (long) needByte("trailer") << (8 * i);
    for (int i = 0; i < 4; i++) wantSize |= (long) needByte("trailer") << (8 * i);
    inMember = false;
    if (wantCrc != crc.getValue()) throw new CorruptMemberException(memberStart, "CRC-32 mismatch");
    if (wantSize != (memberOut & 0xffffffffL))
      throw new CorruptMemberException(memberStart, "length mismatch");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (true) {
      if (!inMember && !startMember()) return -1;
      if (inflater.needsInput()) {
        if (bufPos == bufLen && !fill()) {
          inMember = false;
          throw new EOFException("gzip member at byte " + memberStart + " ends early");
        }
        inflater.setInput(buf, bufPos, bufLen - bufPos);
      }
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        inMember = false;
        throw new CorruptMemberException(memberStart, String.valueOf(e.getMessage()));
      }
      bufPos = bufLen - inflater.getRemaining();
      if (n > 0) {
        crc.update(b, off, n);
        memberOut += n;
        out += n;
        return n;
      }
      if (inflater.finished()) {
        finishMember();
      } else if (inflater.needsDictionary()) {
        inMember = false;
        throw new CorruptMemberException(memberStart, "needs a preset dictionary");
      }
    }
  }

  /** Decompressed bytes handed out so far. */
  long decompressedPosition() {
    return out;
  }

  /**
   * The file offset of the member that holds decompressed byte {@code offset}, or -1 if no longer
   * known.
   */
  long memberStartAt(long offset) {
    Map.Entry<Long, Long> e = starts.floorEntry(offset);
    return e == null ? -1 : e.getValue();
  }

  /**
   * Go on at the first member at or after file offset {@code from} whose data starts with {@code
   * prefix} (a gzip header followed by data that decodes to it); return its offset, or -1
   * (positioned at the end) if none.
   */
  long resync(long from, byte[] prefix) throws IOException {
    long pos = from;
    byte[] chunk = new byte[1 << 16];
    while (true) {
      raw.seek(pos);
      int n = raw.readNBytes(chunk, 0, chunk.length);
      if (n < 3) {
        bufPos = bufLen = 0;
        inMember = false;
        return -1;
      }
      for (int i = 0; i + 2 < n; i++) {
        if (chunk[i] == 0x1f
            && chunk[i + 1] == (byte) 0x8b
            && chunk[i + 2] == 8
            && startsWith(pos + i, prefix)) {
          raw.seek(pos + i);
          bufPos = bufLen = 0;
          inMember = false;
          return pos + i;
        }
      }
      pos += n - 2;
    }
  }

  private boolean startsWith(long at, byte[] prefix) throws IOException {
    raw.seek(at);
    byte[] head = new byte[1 << 16];
    int n = raw.readNBytes(head, 0, head.length);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(head, 0, n))) {
      return Arrays.equals(in.readNBytes(prefix.length), prefix);
    } catch (IOException e) {
      return false; // a false match of the magic bytes, or another damaged member
    }
  }

  @Override
  public void close() {
    inflater.end();
    raw.close();
  }
}
