package io.github.sparkgpt.pipeline.read;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.jsoup.Jsoup;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageBody;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;

/**
 * Format {@code warc} ({@code .warc}, {@code .warc.gz}, {@code .warc.wet.gz}, {@code .wet.gz},
 * {@code .warc.zst}). Records that carry a page become documents with id {@code
 * path#rec=<WARC-Record-ID>} and {@code url = WARC-Target-URI}: {@code response} records with a 2xx
 * HTTP status (chunked and gzip/deflate/brotli bodies decoded), {@code resource} records, and
 * {@code conversion} records (Common Crawl's WET text). Their payload is read as HTML ({@code
 * warc_content_types}, main text extracted) or plain text ({@code warc_text_types}); any other type
 * is rejected with an empty text (never stored: images, PDFs). {@code request}, {@code metadata},
 * {@code warcinfo}, {@code revisit} and other records carry no page text and are skipped. Counts:
 * {@code warc_records_<type>} for every record, {@code warc_skipped_<type>}, {@code
 * warc_http_status_<code>}. A missing or repeated record id falls back to {@code path#offset=<byte
 * offset of the record>}.
 *
 * <p>Damage does not end the file. A record that cannot be parsed is rejected ({@code
 * read_warc_malformed_record}) and reading goes on at the next {@code WARC/1.} header at a line
 * start (uncompressed files) or at the next gzip member that starts with one ({@code .gz}: one
 * member per record, as crawlers write them); a damaged gzip member is rejected as {@code
 * read_gzip_corrupt_member}. Bytes passed over are counted ({@code read_bytes_skipped}). When no
 * further record can be found (or the file is zstd-compressed, whose frames do not align with
 * records) the rest is rejected once as {@code read_rest_of_file_lost} with the number of bytes not
 * read.
 */
final class WarcFileRecords extends FileRecords {
  private static final byte[] WARC_MAGIC = "WARC/1.".getBytes(StandardCharsets.US_ASCII);
  public static final String COUNT_RECORDS = "warc_records_";
  public static final String COUNT_SKIPPED = "warc_skipped_";
  public static final String COUNT_HTTP_STATUS = "warc_http_status_";
  public static final String COUNT_RESYNCS = "read_resyncs";
  public static final String COUNT_BYTES_SKIPPED = "read_bytes_skipped";

  private final WarcOptions options;
  private final BoundedBytes bytes = new BoundedBytes();
  private final Set<String> seenIds = new HashSet<>();
  private GzipMembers members;
  private WarcReader reader;

  /**
   * File offset (uncompressed files) or decompressed offset (gzip) where the current reader
   * started.
   */
  private long base;

  /** File offset of the current record, for ids and rejections. */
  private long offset;

  /**
   * Resynchronisation never goes back before this offset, so every damage is passed exactly once.
   */
  private long floor;

  WarcFileRecords(InputFile file, RecordLimits limits, WarcOptions options, Configuration conf) {
    super(file, limits, conf);
    this.options = options;
  }

  private void startReader() throws IOException {
    if (raw == null) {
      ReopeningInputStream in = openRaw();
      if (file.compression() == Compression.GZIP) members = new GzipMembers(in);
    }
    // jwarc sees decompressed bytes (by us: gzip member by member, zstd by its library) and parses
    // headers,
    // record types and HTTP messages; we keep the positions.
    InputStream data =
        members != null
            ? members
            : file.compression() == Compression.NONE ? raw : file.compression().wrap(raw);
    base = members != null ? members.decompressedPosition() : raw.position();
    reader = new WarcReader(data);
  }

  /** File offset of the record the reader is on (the gzip member holding it for .gz). */
  private long recordOffset() {
    long pos = base + reader.position();
    if (members == null) return pos;
    long m = members.memberStartAt(pos);
    return m < 0 ? offset : m;
  }

  @Override
  protected boolean advance() throws IOException {
    if (reader == null) startReader();
    try {
      Optional<WarcRecord> next = reader.next();
      if (next.isEmpty()) return false;
      offset = recordOffset();
      read(next.get());
      return true;
    } catch (ReopeningInputStream.StorageException e) {
      throw e; // storage failing through every retry: the rest of the file is lost, said once by
      // FileRecords
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return recover(e);
    }
  }

  private void read(WarcRecord record) throws IOException {
    String type = record.type().toLowerCase(Locale.ROOT);
    count(COUNT_RECORDS + type, 1);
    if (!(record instanceof WarcResponse
        || record instanceof WarcResource
        || record instanceof WarcConversion)) {
      count(COUNT_SKIPPED + type, 1);
      return;
    }
    WarcTargetRecord target = (WarcTargetRecord) record;
    String recordId = record.id() == null ? null : record.id().toString();
    String id =
        recordId != null && seenIds.add(recordId)
            ? file.id() + "#rec=" + recordId
            : file.id() + "#offset=" + offset;
    MediaType mediaType;
    MessageBody body;
    if (record instanceof WarcResponse response && isHttp(record.contentType())) {
      HttpResponse http;
      try {
        http = response.http();
      } catch (ParsingException e) {
        reject(id, ReadReasons.WARC_MALFORMED_HTTP, e.getMessage(), "");
        return;
      }
      count(COUNT_HTTP_STATUS + http.status(), 1);
      if (http.status() < 200 || http.status() >= 300) {
        reject(
            id, ReadReasons.WARC_HTTP_STATUS, "HTTP " + http.status() + " " + target.target(), "");
        return;
      }
      mediaType = http.contentType();
      body = http.bodyDecoded(); // Transfer-Encoding chunked, Content-Encoding gzip/deflate/br
    } else {
      mediaType = record.contentType(); // resource, conversion: the block is the payload
      body = record.body();
    }
    String baseType = mediaType == null ? "" : mediaType.base().toString().toLowerCase(Locale.ROOT);
    boolean html = options.htmlTypes().contains(baseType);
    if (!html && !options.textTypes().contains(baseType)) {
      reject(
          id, ReadReasons.WARC_NOT_TEXT, "content type '" + baseType + "' " + target.target(), "");
      return;
    }
    bytes.readFrom(body.stream(), (int) limits.maxRecordBytes());
    if (bytes.exceeded()) {
      reject(
          id, ReadReasons.TOO_LARGE, "body over max_record_bytes " + limits.maxRecordBytes(), "");
      return;
    }
    String charset = charsetOf(mediaType);
    String text;
    if (html) {
      text =
          HtmlTextExtractor.extract(
              Jsoup.parse(
                  new ByteArrayInputStream(bytes.data(), 0, bytes.length()),
                  charset,
                  target.target()));
    } else {
      text =
          charset == null
              ? decode(bytes.data(), bytes.length(), true)
              : new String(bytes.data(), 0, bytes.length(), Charset.forName(charset));
    }
    emit(id, target.target(), text);
  }

  private static boolean isHttp(MediaType t) {
    return t != null && t.base().toString().toLowerCase(Locale.ROOT).startsWith("application/http");
  }

  /**
   * Reject the damaged record and go on at the next record; false if none is left. An early end of
   * the file itself is {@code read_truncated}: nothing after it exists to lose.
   */
  private boolean recover(Throwable e) throws IOException {
    long damageAt = Math.max(offset, recordOffset());
    if (e instanceof GzipMembers.CorruptMemberException c)
      damageAt = Math.max(damageAt, c.memberStart);
    if (e instanceof EOFException && unreadBytes() == 0) {
      offset = damageAt;
      reject(failureId(), ReadReasons.TRUNCATED, e.toString(), "");
      return false;
    }
    String reason =
        e instanceof GzipMembers.CorruptMemberException
            ? ReadReasons.GZIP_CORRUPT_MEMBER
            : ReadReasons.WARC_MALFORMED_RECORD;
    long from = Math.max(damageAt, floor) + 1;
    long resumed =
        file.compression() == Compression.ZSTD
            ? -1
            : members != null ? members.resync(from, WARC_MAGIC) : resyncUncompressed(from);
    offset = damageAt;
    if (resumed < 0) {
      long lost = Math.max(0, file.length() - damageAt);
      count(COUNT_BYTES_LOST, lost);
      reject(
          failureId(),
          ReadReasons.REST_OF_FILE_LOST,
          e
              + "; no further WARC record found: "
              + lost
              + " of "
              + file.length()
              + " bytes from byte "
              + damageAt
              + " on not read",
          "");
      return false;
    }
    count(COUNT_RESYNCS, 1);
    count(COUNT_BYTES_SKIPPED, resumed - damageAt);
    reject(
        failureId(),
        reason,
        e
            + "; went on at the next record at byte "
            + resumed
            + " ("
            + (resumed - damageAt)
            + " bytes skipped)",
        "");
    floor = resumed;
    offset = resumed;
    startReader();
    return true;
  }

  /**
   * Position the raw stream at the first "WARC/1." at a line start at or after {@code from}; its
   * offset or -1.
   */
  private long resyncUncompressed(long from) throws IOException {
    long pos = from - 1; // the byte before a candidate must be a line end
    byte[] chunk = new byte[1 << 16];
    while (true) {
      raw.seek(Math.max(0, pos));
      int n = raw.readNBytes(chunk, 0, chunk.length);
      if (n <= WARC_MAGIC.length) return -1;
      for (int i = 0; i + WARC_MAGIC.length < n; i++) {
        if (chunk[i] == '\n' && matches(chunk, i + 1)) {
          long at = Math.max(0, pos) + i + 1;
          raw.seek(at);
          return at;
        }
      }
      pos += n - WARC_MAGIC.length;
    }
  }

  private static boolean matches(byte[] chunk, int at) {
    for (int k = 0; k < WARC_MAGIC.length; k++) if (chunk[at + k] != WARC_MAGIC[k]) return false;
    return true;
  }

  /**
   * The declared charset if Java knows it; null lets jsoup detect it (HTML) or means UTF-8 (text).
   */
  private static String charsetOf(MediaType type) {
    if (type == null) return null;
    try {
      String c = type.parameters().get("charset");
      return c != null && Charset.isSupported(c) ? c : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  protected String failureId() {
    return file.id() + "#offset=" + offset;
  }

  @Override
  public void close() {
    super.close();
    if (members != null) members.close();
  }
}
