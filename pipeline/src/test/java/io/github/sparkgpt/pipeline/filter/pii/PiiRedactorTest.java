package io.github.sparkgpt.pipeline.filter.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import io.github.sparkgpt.pipeline.filter.Prose;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
  private static String redact(PiiRedactor r, String text, StageCounters c) {
    r.validate();
    Verdict v = r.apply(Prose.doc("d", text), c);
    assertTrue(v.kept(), "pii never drops");
    return v.document().text();
  }

  private static String redact(String text) {
    return redact(new PiiRedactor(), text, new StageCounters());
  }

  @Test
  void emailsKeepTheirSurroundings() {
    StageCounters c = new StageCounters();
    assertEquals(
        "From: Jane <email@example.com>, cc email@example.com.",
        redact(
            new PiiRedactor(),
            "From: Jane <jane.doe@corp-mail.example.org>, cc j_smith+news@mail.co.uk.",
            c));
    assertEquals(2, c.get("pii_email"));
    assertEquals("mailto:email@example.com?subject=hi", redact("mailto:info@firma.de?subject=hi"));
    assertEquals(
        "Schreiben Sie an email@example.com!", redact("Schreiben Sie an jürgen.müller@straße.de!"));
  }

  @Test
  void notEmails() {
    for (String s :
        new String[] {
          "follow @sparkgpt",
          "user@localhost",
          "a@b.c",
          "x @ y.com",
          "git@ is a prefix",
          "the price is 5@3.00"
        }) {
      assertEquals(s, redact(s));
    }
  }

  @Test
  void publicIpv4IsReplacedVersionNumbersAreNot() {
    StageCounters c = new StageCounters();
    assertEquals(
        "Ping 192.0.2.1 and 192.0.2.1.", redact(new PiiRedactor(), "Ping 8.8.8.8 and 1.2.3.4.", c));
    assertEquals(2, c.get("pii_ip"));
    for (String s :
        new String[] {
          "version 1.2.3.4",
          "Version: 10.2.0.1",
          "v1.2.3.4",
          "build 4.1.2.7",
          "1.2.3.4.5",
          "999.1.1.1",
          "1.02.3.4",
          "section 3.1.4",
          "a1.2.3.4b"
        }) {
      assertEquals(s, redact(s));
    }
  }

  @Test
  void privateAddressesStayUnlessAskedFor() {
    String home =
        "The router is at 192.168.0.1, the printer at 10.0.0.7 and localhost is 127.0.0.1.";
    assertEquals(home, redact(home));
    StageCounters c = new StageCounters();
    assertEquals(
        "The router is at 192.0.2.1, the printer at 192.0.2.1 and localhost is 192.0.2.1.",
        redact(new PiiRedactor().setOnlyPublicIp(false), home, c));
    assertEquals(3, c.get("pii_ip"));
  }

  @Test
  void ipv6FullCompressedAndMapped() {
    StageCounters c = new StageCounters();
    assertEquals(
        "DNS: 2001:db8::1 or [2001:db8::1]:53.",
        redact(
            new PiiRedactor(),
            "DNS: 2001:4860:4860::8888 or [2a00:1450:4001:829:0:0:0:200e]:53.",
            c));
    assertEquals(2, c.get("pii_ip"));
    assertEquals("mapped ::ffff:192.0.2.1 here", redact("mapped ::ffff:8.8.8.8 here"));
    assertEquals("2001:db8::1", redact("2606:4700::"));
    for (String s :
        new String[] {
          "loopback ::1 and fe80::1 and fd12:3456::9",
          "at 12:30:45 sharp",
          "MAC 00:1A:2B:3C:4D:5E",
          "std::vector<int>",
          "ratio 3:2:1",
          "a:b::c:d:e:f:1:2:3"
        }) {
      assertEquals(s, redact(s));
    }
    assertEquals(
        "loopback 2001:db8::1",
        redact(new PiiRedactor().setOnlyPublicIp(false), "loopback ::1", new StageCounters()));
  }

  @Test
  void untouchedDocumentIsReturnedAsIs() {
    Document d = Prose.doc("d", Prose.NOVEL);
    assertSame(d, new PiiRedactor().apply(d, new StageCounters()).document());
  }

  @Test
  void switchesAndValidation() {
    String text = "Mail bob@example.net from 8.8.8.8";
    assertEquals(
        "Mail bob@example.net from 192.0.2.1",
        redact(new PiiRedactor().setRedactEmails(false), text, new StageCounters()));
    assertEquals(
        "Mail <email> from 8.8.8.8",
        redact(
            new PiiRedactor().setRedactIps(false).setEmailReplacement("<email>"),
            text,
            new StageCounters()));
    assertThrows(
        IllegalArgumentException.class, () -> new PiiRedactor().setIpv4Replacement("").validate());
  }
}
