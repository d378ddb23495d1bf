package io.github.sparkgpt.pipeline.read;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.codec.binary.Base32;

/**
 * WARC files written byte by byte in the layouts crawlers produce: each record is a {@code
 * WARC/1.0} header block, a content block of Content-Length bytes and CRLF CRLF; a {@code .gz} file
 * is one gzip member per record.
 */
public final class WarcFixtures {
  private WarcFixtures() {}

  /** One record: its type, header fields (in order, Content-Length added) and content block. */
  public record Record(String type, Map<String, String> fields, byte[] block) {
    /** The record id as jwarc gives it (without the angle brackets). */
    public String id() {
      return fields.get("WARC-Record-ID").replaceAll("^<|>$", "");
    }

    public String target() {
      return fields.get("WARC-Target-URI");
    }
  }

  private static int serial;

  public static synchronized String newId() {
    return String.format("<urn:uuid:%08x-0000-4000-8000-%012x>", ++serial, (long) serial * 7919);
  }

  public static Record record(
      String type, String target, String contentType, byte[] block, String... extra) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("WARC-Type", type);
    if (target != null) f.put("WARC-Target-URI", target);
    f.put("WARC-Date", "2024-02-21T03:11:0" + (serial % 10) + "Z");
    f.put("WARC-Record-ID", newId());
    for (int i = 0; i + 1 < extra.length; i += 2) f.put(extra[i], extra[i + 1]);
    f.put("WARC-Block-Digest", "sha1:" + sha1Base32(block));
    f.put("Content-Type", contentType);
    return new Record(type, f, block);
  }

  public static byte[] bytes(Record r) {
    StringBuilder h = new StringBuilder("WARC/1.0\r\n");
    r.fields().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    h.append("Content-Length: ").append(r.block().length).append("\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(UTF_8));
    out.writeBytes(r.block());
    out.writeBytes("\r\n\r\n".getBytes(UTF_8));
    return out.toByteArray();
  }

  /**
   * The records as one gzip member each; {@code offsets} receives each member's start (and the file
   * length).
   */
  public static byte[] gzipMembers(List<Record> records, List<Long> offsets) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (Record r : records) {
      if (offsets != null) offsets.add((long) file.size());
      file.writeBytes(gzip(bytes(r)));
    }
    if (offsets != null) offsets.add((long) file.size());
    return file.toByteArray();
  }

  public static byte[] uncompressed(List<Record> records, List<Long> offsets) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (Record r : records) {
      if (offsets != null) offsets.add((long) file.size());
      file.writeBytes(bytes(r));
    }
    if (offsets != null) offsets.add((long) file.size());
    return file.toByteArray();
  }

  public static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    }
    return bos.toByteArray();
  }

  /**
   * A Common Crawl WET file: a warcinfo record, then one conversion record of plain text per page.
   */
  public static List<Record> wet(List<String> urls, List<String> texts) {
    List<Record> out = new ArrayList<>();
    out.add(
        record(
            "warcinfo",
            null,
            "application/warc-fields",
            ("Software-Info: ia-web-commons.1.1.10-SNAPSHOT-20240125101034\r\n"
                    + "Extracted-Date: Wed, 21 Feb 2024 03:11:00 GMT\r\n"
                    + "robots: checked via crawler-commons 1.5-SNAPSHOT"
                    + " (https://github.com/crawler-commons/crawler-commons)\r\n"
                    + "isPartOf: CC-MAIN-2024-10\r\n"
                    + "operator: Common Crawl Admin (info@commoncrawl.org)\r\n"
                    + "description: Wide crawl of the web for February/March 2024\r\n"
                    + "publisher: Common Crawl\r\n")
                .getBytes(UTF_8),
            "WARC-Filename",
            "CC-MAIN-20240221031100-20240221061100-00000.warc.wet.gz"));
    for (int i = 0; i < urls.size(); i++) {
      out.add(
          record(
              "conversion",
              urls.get(i),
              "text/plain",
              texts.get(i).getBytes(UTF_8),
              "WARC-Refers-To",
              newId(),
              "WARC-Identified-Content-Language",
              "eng"));
    }
    return out;
  }

  /** An HTTP response message: status line, headers, CRLF, body. */
  public static byte[] http(int status, String reason, List<String> headers, byte[] body) {
    StringBuilder h = new StringBuilder("HTTP/1.1 " + status + " " + reason + "\r\n");
    for (String header : headers) h.append(header).append("\r\n");
    h.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** {@code body} in HTTP/1.1 chunked transfer coding, in chunks of {@code size} bytes. */
  public static byte[] chunked(byte[] body, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += size) {
      int n = Math.min(size, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(UTF_8));
      out.write(body, i, n);
      out.writeBytes("\r\n".getBytes(UTF_8));
    }
    out.writeBytes("0\r\n\r\n".getBytes(UTF_8));
    return out.toByteArray();
  }

  public static Record response(String url, byte[] httpMessage) {
    return record(
        "response",
        url,
        "application/http; msgtype=response",
        httpMessage,
        "WARC-Payload-Digest",
        "sha1:" + sha1Base32(httpMessage));
  }

  static String sha1Base32(byte[] data) {
    try {
      return new Base32().encodeAsString(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
