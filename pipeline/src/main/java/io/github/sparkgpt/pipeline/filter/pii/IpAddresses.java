package io.github.sparkgpt.pipeline.filter.pii;

/**
 * Parsing and classification of IP address literals found in text. No name resolution ever happens:
 * these are string checks only ({@code InetAddress.getByName} could do DNS on a malformed literal).
 */
final class IpAddresses {
  private IpAddresses() {}

  /**
   * The four octets of a dotted-quad IPv4 address, or null. Leading zeros ({@code 01}) are rejected
   * as ambiguous.
   */
  static int[] parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    int[] out = new int[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
      for (int k = 0; k < p.length(); k++) if (p.charAt(k) < '0' || p.charAt(k) > '9') return null;
      out[i] = Integer.parseInt(p);
      if (out[i] > 255) return null;
    }
    return out;
  }

  /**
   * True for addresses that can identify a host on the internet (not private, loopback,
   * documentation...).
   */
  static boolean isPublicIpv4(int[] o) {
    int a = o[0];
    int b = o[1];
    return !(a == 0
        || a == 10
        || a == 127
        || a >= 224 // this network, private, loopback, multicast+
        || (a == 100 && b >= 64 && b <= 127) // carrier-grade NAT
        || (a == 169 && b == 254) // link-local
        || (a == 172 && b >= 16 && b <= 31) // private
        || (a == 192 && b == 168) // private
        || (a == 192 && b == 0 && (o[2] == 0 || o[2] == 2)) // protocol assignments, TEST-NET-1
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && o[2] == 100) // TEST-NET-2
        || (a == 203 && b == 0 && o[2] == 113)); // TEST-NET-3
  }

  /**
   * The eight 16-bit groups of an IPv6 address (with optional {@code ::} and IPv4 tail), or null.
   */
  static int[] parseIpv6(String s) {
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) return null;
    int[] head = groups(dc >= 0 ? s.substring(0, dc) : s, dc < 0);
    int[] tail = dc >= 0 ? groups(s.substring(dc + 2), true) : new int[0];
    if (head == null || tail == null) return null;
    int total = head.length + tail.length;
    if (dc >= 0 ? total > 7 : total != 8) return null;
    int[] out = new int[8];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, 8 - tail.length, tail.length);
    return out;
  }

  /** Colon-separated hex groups; an IPv4 tail counts as two groups. Empty input is zero groups. */
  private static int[] groups(String s, boolean ipv4TailAllowed) {
    if (s.isEmpty()) return new int[0];
    String[] parts = s.split(":", -1);
    int[] out = new int[parts.length + 1];
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && ipv4TailAllowed && p.indexOf('.') >= 0) {
        int[] v4 = parseIpv4(p);
        if (v4 == null) return null;
        out[n++] = v4[0] << 8 | v4[1];
        out[n++] = v4[2] << 8 | v4[3];
        continue;
      }
      if (p.isEmpty() || p.length() > 4) return null;
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = Character.digit(p.charAt(k), 16);
        if (d < 0) return null;
        v = v << 4 | d;
      }
      out[n++] = v;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  static boolean isPublicIpv6(int[] g) {
    boolean zeroPrefix = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0;
    if (zeroPrefix && g[5] == 0 && g[6] == 0 && g[7] <= 1) return false; // :: and ::1
    if (zeroPrefix && g[5] == 0xffff) { // IPv4-mapped
      return isPublicIpv4(new int[] {g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff});
    }
    return !((g[0] & 0xffc0) == 0xfe80 // link-local
        || (g[0] & 0xfe00) == 0xfc00 // unique local
        || (g[0] & 0xff00) == 0xff00 // multicast
        || (g[0] == 0x2001 && g[1] == 0x0db8)); // documentation
  }
}
