package io.github.sparkgpt.pipeline.read;

import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.jsoup.Jsoup;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * Format {@code warc}: each HTTP response record with a 2xx status and an HTML content type
 * ({@code warc_content_types}) becomes a document with id {@code path#rec=<WARC-Record-ID>} and
 * {@code url = WARC-Target-URI}. Other responses are rejected with an empty text (never stored: images, PDFs);
 * request, metadata, warcinfo and revisit records carry no page text and are skipped. Record ids are unique by the
 * WARC standard; a missing or repeated one falls back to {@code path#offset=<uncompressed byte offset>}.
 */
final class WarcFileRecords extends FileRecords {
  private final BoundedBytes bytes = new BoundedBytes();
  private final Set<String> seenIds = new HashSet<>();
  private WarcReader reader;
  private long offset;

  WarcFileRecords(InputFile file, CorpusReader options, Configuration conf) {
    super(file, options, conf);
  }

  @Override protected boolean advance() throws IOException {
    if (reader == null) reader = new WarcReader(open()); // decompressed by us, so .warc.zst works too
    offset = reader.position();
    Optional<WarcRecord> next = reader.next();
    if (next.isEmpty()) return false;
    if (!(next.get() instanceof WarcResponse response)) return true;

    String recordId = response.id() == null ? null : response.id().toString();
    String id = recordId != null && seenIds.add(recordId) ? file.id() + "#rec=" + recordId
        : file.id() + "#offset=" + offset;
    HttpResponse http;
    try {
      http = response.http();
    } catch (ParsingException e) {
      reject(id, ReadReasons.WARC_MALFORMED_HTTP, e.getMessage(), "");
      return true;
    }
    if (http.status() < 200 || http.status() >= 300) {
      reject(id, ReadReasons.WARC_HTTP_STATUS, "HTTP " + http.status() + " " + response.target(), "");
      return true;
    }
    MediaType type = http.contentType();
    String base = type == null ? "" : type.base().toString().toLowerCase(Locale.ROOT);
    if (!options.getWarcContentTypes().contains(base)) {
      reject(id, ReadReasons.WARC_NOT_HTML, "content type '" + base + "' " + response.target(), "");
      return true;
    }
    bytes.readFrom(http.bodyDecoded().stream(), (int) options.getMaxRecordBytes());
    if (bytes.exceeded()) {
      reject(id, ReadReasons.TOO_LARGE, "body over max_record_bytes " + options.getMaxRecordBytes(), "");
      return true;
    }
    var page = Jsoup.parse(new java.io.ByteArrayInputStream(bytes.data(), 0, bytes.length()), charsetOf(type),
        response.target());
    emit(id, response.target(), HtmlTextExtractor.extract(page));
    return true;
  }

  /** The declared charset if Java knows it; null lets jsoup detect it from a BOM or meta tag. */
  private static String charsetOf(MediaType type) {
    try {
      String c = type.parameters().get("charset");
      return c != null && java.nio.charset.Charset.isSupported(c) ? c : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override protected String failureId() {
    return file.id() + "#offset=" + offset;
  }
}
