package io.github.sparkgpt.pipeline.task.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamAssassinTaskTest {
  @TempDir Path dir;

  static final String QUOTED_PRINTABLE =
      "From alice@example.com  Thu Aug 22 12:36:23 2002\n"
          + "Return-Path: <alice@example.com>\n"
          + "From: Alice <alice@example.com>\n"
          + "Subject: =?iso-8859-1?q?Caf=E9_meeting?=\n"
          + "Content-Type: text/plain; charset=iso-8859-1\n"
          + "Content-Transfer-Encoding: quoted-printable\n\n"
          + "Let's meet at the caf=E9 at noon.=20\n\n\n\n"
          + "See you there=\n"
          + " soon.\n";

  static final String ALTERNATIVE =
      "From: Carol <carol@example.com>\nSubject: Re: build broken\n"
          + "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"ALT\"\n\n"
          + "--ALT\nContent-Type: text/plain; charset=us-ascii\n\nThe build is fixed now.\n"
          + "--ALT\nContent-Type: text/html\n\n<p>The <b>build</b> is fixed now.</p>\n--ALT--\n";

  static String base64Spam() {
    String body =
        Base64.getMimeEncoder()
            .encodeToString(
                "Buy now \u2014 50% off!\nLimited offer.".getBytes(StandardCharsets.UTF_8));
    return "From: deals@example.com\n"
        + "Subject: Cheap pills\n"
        + "Content-Type: text/plain; charset=utf-8\n"
        + "Content-Transfer-Encoding: base64\n\n"
        + body
        + "\n";
  }

  static final String HTML_WITH_ATTACHMENT =
      "From: win@example.com\n"
          + "Subject: You won\n"
          + "Content-Type: multipart/mixed; boundary=\"MIX\"\n\n"
          + "--MIX\n"
          + "Content-Type: text/html; charset=windows-1252\n\n"
          + "<html><head><style>p {color: red}</style></head><body><p>Claim your"
          + " <b>prize</b>!</p><p>Click <a"
          + " href=\"http://x\">here</a></p><script>track()</script></body></html>\n"
          + "--MIX\n"
          + "Content-Type: image/gif; name=\"logo.gif\"\n"
          + "Content-Transfer-Encoding: base64\n"
          + "Content-Disposition: attachment; filename=\"logo.gif\"\n\n"
          + "R0lGODlhAQABAAAAACw=\n"
          + "--MIX--\n";

  static final String BROKEN =
      "From: broken@example.com\nSubject: \nContent-Type: multipart/mixed; boundary=\"NOPE\"\n\n"
          + "This body never opens the declared boundary.\n";

  @Test
  void decodesMimeAndQuarantinesWhatItCannotRead() throws Exception {
    write("easy-ham-1", "00001.aaa", QUOTED_PRINTABLE.getBytes(StandardCharsets.ISO_8859_1));
    write("easy-ham-1", "00002.bbb", ALTERNATIVE.getBytes(StandardCharsets.US_ASCII));
    Files.writeString(dir.resolve("easy-ham-1/00002.bbb.json"), "{\"ignored\": true}");
    write("spam-1", "00001.ccc", base64Spam().getBytes(StandardCharsets.US_ASCII));
    write("spam-1", "00002.ddd", HTML_WITH_ATTACHMENT.getBytes(StandardCharsets.US_ASCII));
    write("spam-1", "00003.eee", BROKEN.getBytes(StandardCharsets.US_ASCII));
    TaskSet set = new SpamAssassinTask(dir).build();

    assertEquals(
        List.of(
            row(
                "easy-ham-1/00001.aaa",
                "Café meeting\n\nLet's meet at the café at noon.\n\nSee you there soon.",
                "ham",
                "Café meeting"),
            row(
                "easy-ham-1/00002.bbb",
                "Re: build broken\n\nThe build is fixed now.",
                "ham",
                "Re: build broken"),
            row(
                "spam-1/00001.ccc",
                "Cheap pills\n\nBuy now \u2014 50% off!\nLimited offer.",
                "spam",
                "Cheap pills"),
            row(
                "spam-1/00002.ddd",
                "You won\n\nClaim your prize!\n\nClick here",
                "spam",
                "You won")),
        set.rows().stream().map(TaskRow::fields).toList());
    assertEquals(1, set.quarantined().size());
    assertEquals("spam-1/00003.eee", set.quarantined().get(0).id());
    assertEquals("email_malformed_mime", set.quarantined().get(0).reason());
    assertTrue(set.quarantined().get(0).text().contains("never opens"));
  }

  @Test
  void longBodiesAreCutAtAWordBoundary() throws Exception {
    write(
        "spam-2",
        "00001.fff",
        ("Subject: Long\n\n" + "word ".repeat(100)).getBytes(StandardCharsets.US_ASCII));
    TaskSet set = new SpamAssassinTask(dir).setMaxBodyChars(22).build();
    assertEquals("Long\n\nword word word word", set.rows().get(0).fields().get("text"));
    assertEquals(1, ((Map<?, ?>) set.info().get("parameters")).get("bodies_truncated"));
  }

  private void write(String folder, String name, byte[] bytes) throws Exception {
    Files.createDirectories(dir.resolve(folder));
    Files.write(dir.resolve(folder).resolve(name + ".txt"), bytes);
  }

  private static Map<String, Object> row(String id, String text, String label, String subject) {
    return Map.of(
        "id",
        id,
        "text",
        text,
        "label",
        label,
        "subject",
        subject,
        "source",
        id.substring(0, id.indexOf('/')));
  }
}
