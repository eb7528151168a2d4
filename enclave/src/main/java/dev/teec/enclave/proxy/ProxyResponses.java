package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Status lines the proxy writes and reads: its own error answers, upstream status lines. */
final class ProxyResponses {
  private ProxyResponses() {}

  /**
   * Answers the client with {@code status} and a plain-text body naming the problem.
   *
   * @param keepAlive whether the connection can carry another request afterwards
   * @param headRequest whether the request was HEAD (no body is sent)
   */
  static void error(
      OutputStream out, int status, String message, boolean keepAlive, boolean headRequest)
      throws IOException {
    byte[] body = ("teec proxy: " + message + "\n").getBytes(StandardCharsets.UTF_8);
    List<HttpHead.Field> fields = new ArrayList<>();
    fields.add(new HttpHead.Field("Content-Type", "text/plain; charset=utf-8"));
    fields.add(new HttpHead.Field("Content-Length", Integer.toString(body.length)));
    if (!keepAlive) {
      fields.add(new HttpHead.Field("Connection", "close"));
    }
    HttpHead.write(out, "HTTP/1.1 " + status + " " + reason(status), fields);
    if (!headRequest) {
      out.write(body);
    }
    out.flush();
  }

  /** The reason phrase the proxy sends with {@code status}. */
  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 203 -> "Non-Authoritative Information";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 413 -> "Content Too Large";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      case 410 -> "Gone";
      default -> status < 400 ? "" : "Error";
    };
  }

  /**
   * The status code of an upstream response head.
   *
   * @throws HttpException (502) when the status line is not {@code HTTP/1.x NNN[ reason]}
   */
  static int status(HttpHead response) throws HttpException {
    String s = response.startLine();
    if (!(s.startsWith("HTTP/1.1 ") || s.startsWith("HTTP/1.0 "))
        || s.length() < 12
        || (s.length() > 12 && s.charAt(12) != ' ')) {
      throw new HttpException(502, "malformed upstream status line " + Hosts.quote(s));
    }
    String code = s.substring(9, 12);
    if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) == '0') {
      throw new HttpException(502, "malformed upstream status code " + Hosts.quote(s));
    }
    return Integer.parseInt(code);
  }

  /** "Kind: message" of an I/O failure, for records and error answers. */
  static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : kind + ": " + message;
  }
}
