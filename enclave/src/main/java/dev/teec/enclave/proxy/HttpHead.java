package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The start line and header fields of an HTTP/1.x message, read strictly: field names are tokens
 * with no space before the colon, obsolete line folding is rejected, and the head is bounded in
 * line length, total size and number of fields.
 */
record HttpHead(String startLine, List<Field> fields) {

  /** One header field; the name keeps its case, comparisons ignore it. */
  record Field(String name, String value) {}

  static final int MAX_LINE = 16 * 1024;
  static final int MAX_HEAD = 64 * 1024;
  static final int MAX_FIELDS = 200;
  static final int MAX_LEADING_EMPTY_LINES = 8;

  // Hop-by-hop fields (RFC 9110 §7.6.1), plus the framing fields the proxy always sets itself.
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length");

  HttpHead {
    fields = List.copyOf(fields);
  }

  /**
   * Reads a head; empty lines before the start line are skipped (RFC 9112 §2.2).
   *
   * @param statusOnError status for the {@link HttpException} thrown on malformed input
   * @return the head, or null if the stream ended cleanly before it started
   */
  static HttpHead read(HttpInput in, int statusOnError) throws IOException {
    String start = in.readLine(MAX_LINE, statusOnError);
    for (int empty = 0; start != null && start.isEmpty(); empty++) {
      if (empty == MAX_LEADING_EMPTY_LINES) {
        throw new HttpException(statusOnError, "too many empty lines before the start line");
      }
      start = in.readLine(MAX_LINE, statusOnError);
    }
    if (start == null) {
      return null;
    }
    int total = start.length();
    List<Field> fields = new ArrayList<>();
    while (true) {
      String line = in.readLine(MAX_LINE, statusOnError);
      if (line == null) {
        throw new HttpException(statusOnError, "connection closed inside the header");
      }
      if (line.isEmpty()) {
        return new HttpHead(start, fields);
      }
      total += line.length() + 2;
      if (total > MAX_HEAD) {
        throw new HttpException(
            statusOnError == 400 ? 431 : statusOnError,
            "header larger than " + MAX_HEAD + " bytes");
      }
      if (fields.size() == MAX_FIELDS) {
        throw new HttpException(
            statusOnError == 400 ? 431 : statusOnError,
            "more than " + MAX_FIELDS + " header fields");
      }
      fields.add(parseField(line, statusOnError));
    }
  }

  private static Field parseField(String line, int statusOnError) throws HttpException {
    if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
      throw new HttpException(statusOnError, "obsolete line folding in the header");
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new HttpException(
          statusOnError, "header line without a field name: " + Hosts.quote(line));
    }
    String name = line.substring(0, colon);
    if (!isToken(name)) {
      throw new HttpException(statusOnError, "invalid header field name: " + Hosts.quote(name));
    }
    String value = line.substring(colon + 1).strip();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw new HttpException(statusOnError, "control character in header field " + name);
      }
    }
    return new Field(name, value);
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** All values of the named field, in order. */
  List<String> values(String name) {
    List<String> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        values.add(f.value());
      }
    }
    return values;
  }

  /** The first value of the named field, or null. */
  String first(String name) {
    for (Field f : fields) {
      if (f.name().equalsIgnoreCase(name)) {
        return f.value();
      }
    }
    return null;
  }

  /** Whether a comma-separated field (such as Connection) lists {@code token}, ignoring case. */
  boolean lists(String name, String token) {
    for (String v : values(name)) {
      for (String part : v.split(",")) {
        if (part.strip().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The end-to-end fields: without hop-by-hop fields, without those named in Connection, without
   * the framing fields, and without {@code alsoDrop} (lower case).
   */
  List<Field> endToEnd(Set<String> alsoDrop) {
    List<String> named = new ArrayList<>();
    for (String v : values("Connection")) {
      for (String part : v.split(",")) {
        named.add(part.strip().toLowerCase(Locale.ROOT));
      }
    }
    List<Field> kept = new ArrayList<>();
    for (Field f : fields) {
      String n = f.name().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(n) && !named.contains(n) && !alsoDrop.contains(n)) {
        kept.add(f);
      }
    }
    return kept;
  }

  /** Writes a head: the start line, the fields, an empty line. Does not flush. */
  static void write(OutputStream out, String startLine, List<Field> fields) throws IOException {
    StringBuilder b = new StringBuilder(256).append(startLine).append("\r\n");
    for (Field f : fields) {
      b.append(f.name()).append(": ").append(f.value()).append("\r\n");
    }
    out.write(HttpInput.ascii(b.append("\r\n").toString()));
  }
}
