package io.github.sparkgpt.pipeline.filter.pii;

import io.github.sparkgpt.pipeline.Document;
import io.github.sparkgpt.pipeline.DocumentStage;
import io.github.sparkgpt.pipeline.StageCounters;
import io.github.sparkgpt.pipeline.Verdict;
import java.util.regex.Pattern;

/**
 * Replaces e-mail addresses and IP addresses (v4 and v6) with fixed, harmless stand-ins; never
 * drops a document. Counters: {@code pii_email}, {@code pii_ip} (replacements made).
 *
 * <p>Stand-ins: {@code email@example.com}, {@code 192.0.2.1} and {@code 2001:db8::1}, addresses
 * reserved for documentation (RFC 2606, 5737, 3849) so they can never point at a real person or
 * host. Unlike datatrove's random IPs they are deterministic (re-runs give identical output), and
 * unlike {@code <email>} placeholders the text stays natural, so the language model does not learn
 * a markup token that never appears at inference time.
 *
 * <p>What counts:
 *
 * <ul>
 *   <li>e-mail: {@code local@domain.tld} with Unicode letters/digits and {@code . _ % + -} in the
 *       local part and a letters-only TLD; surrounding {@code <...>}, {@code mailto:} or a
 *       sentence-final period are left in place.
 *   <li>IPv4: a dotted quad of octets 0..255 without leading zeros, not touching other letters,
 *       digits or dots ({@code v1.2.3.4}, {@code 1.2.3.4.5} are not IPs), and not right after the
 *       word version/ver/release/build ({@code version 1.2.3.4} is a version number).
 *   <li>IPv6: eight hex groups, or fewer with one {@code ::}, optionally ending in an IPv4 address.
 * </ul>
 *
 * With {@code only_public_ip} (default, as datatrove) private, loopback, link-local and
 * documentation addresses are left alone: they identify no one and are common in technical prose.
 */
public final class PiiRedactor implements DocumentStage {
  private static final long serialVersionUID = 1L;

  /** A version keyword right before an IPv4 look-alike makes it a version number. */
  private static final Pattern VERSION_BEFORE =
      Pattern.compile("(?i)(?:\\bversion|\\bver\\.?|\\brelease|\\bbuild)\\s*$");

  private boolean redactEmails = true;
  private boolean redactIps = true;
  private boolean onlyPublicIp = true;
  private String emailReplacement = "email@example.com";
  private String ipv4Replacement = "192.0.2.1";
  private String ipv6Replacement = "2001:db8::1";

  @Override
  public String name() {
    return "pii";
  }

  @Override
  public Verdict apply(Document doc, StageCounters counters) {
    String text = doc.text();
    if (redactEmails) text = replace(text, Kind.EMAIL, counters);
    if (redactIps) {
      text = replace(text, Kind.IPV4, counters);
      text = replace(text, Kind.IPV6, counters);
    }
    return Verdict.keep(text == doc.text() ? doc : doc.withText(text));
  }

  private enum Kind {
    // anchor char, chars a candidate may contain
    EMAIL('@'),
    IPV4('.'),
    IPV6(':');
    final char anchor;

    Kind(char anchor) {
      this.anchor = anchor;
    }

    boolean part(char c) {
      return switch (this) {
        case EMAIL ->
            Character.isLetterOrDigit(c)
                || c == '.'
                || c == '_'
                || c == '%'
                || c == '+'
                || c == '-'
                || c == '@';
        case IPV4 -> (c >= '0' && c <= '9') || c == '.';
        case IPV6 -> Character.digit(c, 16) >= 0 || c == ':' || c == '.';
      };
    }
  }

  /**
   * {@code text} with every accepted address of one kind replaced; the same instance if none was.
   * Candidates are maximal runs of the kind's characters around each anchor char, trimmed of
   * trailing dots (sentence ends), and must not touch other letters or digits; each is then
   * validated in full.
   */
  private String replace(String text, Kind kind, StageCounters counters) {
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int at = text.indexOf(kind.anchor);
    while (at >= 0) {
      int start = at;
      while (start > 0 && kind.part(text.charAt(start - 1))) start--;
      int end = at + 1;
      while (end < n && kind.part(text.charAt(end))) end++;
      int next = end; // continue after this run whatever it was
      while (end > start
          && (text.charAt(end - 1) == '.' || (kind == Kind.EMAIL && text.charAt(end - 1) == '-')))
        end--;
      while (kind != Kind.IPV6 && start < end && text.charAt(start) == '.')
        start++; // "...1.2.3.4", ".a@b.c"
      boolean isolated =
          (start == 0 || !isWordChar(text.charAt(start - 1)))
              && (end == n || !isWordChar(text.charAt(end)));
      String replacement =
          isolated && start >= copied
              ? replacementFor(kind, text, start, text.substring(start, end))
              : null;
      if (replacement != null) {
        if (out == null) out = new StringBuilder(n + 16);
        out.append(text, copied, start).append(replacement);
        copied = end;
        counters.increment(kind == Kind.EMAIL ? "pii_email" : "pii_ip");
      }
      at = next >= n ? -1 : text.indexOf(kind.anchor, next);
    }
    if (out == null) return text;
    return out.append(text, copied, n).toString();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private String replacementFor(Kind kind, String text, int start, String candidate) {
    switch (kind) {
      case EMAIL:
        return EmailAddresses.isAddress(candidate) ? emailReplacement : null;
      case IPV4:
        {
          int[] octets = IpAddresses.parseIpv4(candidate);
          if (octets == null || (onlyPublicIp && !IpAddresses.isPublicIpv4(octets))) return null;
          if (VERSION_BEFORE.matcher(text.substring(Math.max(0, start - 12), start)).find())
            return null;
          return ipv4Replacement;
        }
      default:
        {
          if (!hasHexDigit(candidate) || candidate.indexOf(':') == candidate.lastIndexOf(':'))
            return null;
          int[] groups = IpAddresses.parseIpv6(candidate);
          if (groups == null || (onlyPublicIp && !IpAddresses.isPublicIpv6(groups))) return null;
          return ipv6Replacement;
        }
    }
  }

  private static boolean hasHexDigit(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.digit(s.charAt(i), 16) >= 0) return true;
    return false;
  }

  @Override
  public void validate() {
    if (emailReplacement.isEmpty() || ipv4Replacement.isEmpty() || ipv6Replacement.isEmpty()) {
      throw new IllegalArgumentException(
          "pii: email_replacement, ipv4_replacement and ipv6_replacement must not be empty (an"
              + " empty stand-in glues the neighbouring words together); set redact_emails /"
              + " redact_ips = false to keep addresses instead");
    }
  }

  public PiiRedactor setRedactEmails(boolean v) {
    redactEmails = v;
    return this;
  }

  public PiiRedactor setRedactIps(boolean v) {
    redactIps = v;
    return this;
  }

  /** Leave private, loopback, link-local and documentation addresses alone. */
  public PiiRedactor setOnlyPublicIp(boolean v) {
    onlyPublicIp = v;
    return this;
  }

  public PiiRedactor setEmailReplacement(String v) {
    emailReplacement = v;
    return this;
  }

  public PiiRedactor setIpv4Replacement(String v) {
    ipv4Replacement = v;
    return this;
  }

  public PiiRedactor setIpv6Replacement(String v) {
    ipv6Replacement = v;
    return this;
  }
}
