package dev.teec.enclave.proxy;

import dev.teec.digest.Digests;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads an upstream response and relays it to the client, hashing the body as it crosses (SPEC W7):
 * the response's own framing is undone and the client gets Content-Length, chunked or until-close
 * framing as its HTTP version allows. Ends in exactly one {@link NetworkRecord}.
 */
final class ResponseRelay {

  private final ProxySettings settings;
  private final UpstreamPool upstream;
  private final Consumer<NetworkRecord> recorder;

  ResponseRelay(ProxySettings settings, UpstreamPool upstream, Consumer<NetworkRecord> recorder) {
    this.settings = settings;
    this.upstream = upstream;
    this.recorder = recorder;
  }

  /** The final response head from upstream, skipping interim (1xx) responses. */
  HttpHead readHead() throws IOException {
    while (true) {
      HttpHead response = HttpHead.read(upstream.in(), 502);
      if (response == null) {
        throw new EOFException("upstream closed the connection without a response");
      }
      int status = ProxyResponses.status(response);
      if (status == 101) {
        throw new HttpException(
            502, "upstream switched protocols, which the proxy does not support");
      }
      if (status >= 200) {
        return response;
      }
      // Interim responses (100 Continue, 103 Early Hints) are consumed here; the final one follows.
    }
  }

  /**
   * Sends {@code response} and its body to the client.
   *
   * @return whether the client connection can carry another request
   */
  boolean relay(
      OutputStream out,
      String method,
      String url,
      boolean clientHttp11,
      boolean clientKeepAlive,
      HttpHead response)
      throws IOException {
    int status = ProxyResponses.status(response);
    String contentType = response.first("Content-Type");
    boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
    long length;
    try {
      length = noBody ? 0 : bodyLength(response);
    } catch (HttpException e) {
      upstream.close();
      String why = "upstream response framing: " + e.getMessage();
      recorder.accept(NetworkRecord.failed(method, url, 502, why));
      ProxyResponses.error(out, 502, why, clientKeepAlive, false);
      return clientKeepAlive;
    }
    if (length > settings.maxResponseBytes()) {
      upstream.close();
      String why =
          "response body of "
              + length
              + " bytes exceeds the limit of "
              + settings.maxResponseBytes();
      recorder.accept(NetworkRecord.failed(method, url, 502, 0, contentType, why));
      ProxyResponses.error(out, 502, why, clientKeepAlive, method.equals("HEAD"));
      return clientKeepAlive;
    }
    boolean bodyUntilClose = length == Bodies.UNTIL_CLOSE;
    boolean chunkToClient = (length == Bodies.CHUNKED || bodyUntilClose) && clientHttp11;
    boolean keepAlive = clientKeepAlive && !(bodyUntilClose && !chunkToClient);
    boolean upstreamReusable =
        !bodyUntilClose
            && response.startLine().startsWith("HTTP/1.1 ")
            && !response.lists("Connection", "close");

    List<HttpHead.Field> fields = new ArrayList<>(response.endToEnd(Set.of()));
    if (noBody) {
      // A HEAD or 304 answer announces the length the body would have; keep it for the client.
      String declared = response.first("Content-Length");
      if (declared != null && status != 204) {
        fields.add(new HttpHead.Field("Content-Length", declared));
      }
    } else if (length >= 0) {
      fields.add(new HttpHead.Field("Content-Length", Long.toString(length)));
    } else if (chunkToClient) {
      fields.add(new HttpHead.Field("Transfer-Encoding", "chunked"));
    }
    if (!keepAlive) {
      fields.add(new HttpHead.Field("Connection", "close"));
    }
    String reason = response.startLine().length() > 13 ? response.startLine().substring(13) : "";
    try {
      HttpHead.write(out, "HTTP/1.1 " + status + " " + reason, fields);
    } catch (IOException e) {
      upstream.close();
      recorder.accept(NetworkRecord.failed(method, url, status, 0, contentType, clientGone(e)));
      return false;
    }

    MessageDigest sha256 = Digests.sha256();
    long size = 0;
    Bodies.ChunkedOutput chunked = chunkToClient ? new Bodies.ChunkedOutput(out) : null;
    if (!noBody) {
      InputStream body =
          length == Bodies.CHUNKED
              ? new Bodies.ChunkedInput(upstream.in(), 502)
              : bodyUntilClose ? upstream.in() : new Bodies.FixedInput(upstream.in(), length);
      OutputStream sink = chunked != null ? chunked : out;
      byte[] buffer = new byte[ProxySession.COPY_BUFFER];
      while (true) {
        int n;
        try {
          n = body.read(buffer);
        } catch (IOException e) {
          upstream.close();
          String why =
              "upstream failed after " + size + " body bytes: " + ProxyResponses.describe(e);
          recorder.accept(NetworkRecord.failed(method, url, status, size, contentType, why));
          // Closing without the final chunk (or short of Content-Length) tells the client it is
          // truncated.
          return false;
        }
        if (n < 0) {
          break;
        }
        size += n;
        if (size > settings.maxResponseBytes()) {
          upstream.close();
          String why =
              "response body exceeds the limit of "
                  + settings.maxResponseBytes()
                  + " bytes; aborted";
          recorder.accept(NetworkRecord.failed(method, url, status, size - n, contentType, why));
          return false;
        }
        sha256.update(buffer, 0, n);
        try {
          sink.write(buffer, 0, n);
          sink.flush();
        } catch (IOException e) {
          upstream.close();
          recorder.accept(
              NetworkRecord.failed(method, url, status, size, contentType, clientGone(e, size)));
          return false;
        }
      }
    }
    try {
      if (chunked != null) {
        chunked.finish();
      }
      out.flush();
    } catch (IOException e) {
      upstream.close();
      recorder.accept(
          NetworkRecord.failed(method, url, status, size, contentType, clientGone(e, size)));
      return false;
    }
    if (upstreamReusable) {
      upstream.keep();
    } else {
      upstream.close();
    }
    recorder.accept(
        NetworkRecord.completed(
            method, url, status, size, contentType, HexFormat.of().formatHex(sha256.digest())));
    return keepAlive;
  }

  /** Like {@link Bodies#declaredLength} but a response without framing fields runs until close. */
  private static long bodyLength(HttpHead response) throws HttpException {
    if (response.first("Transfer-Encoding") == null && response.first("Content-Length") == null) {
      return Bodies.UNTIL_CLOSE;
    }
    return Bodies.declaredLength(response, 502);
  }

  static String clientGone(IOException e) {
    return "client closed the connection: " + e.getMessage();
  }

  private static String clientGone(IOException e, long size) {
    return "client closed the connection after " + size + " body bytes: " + e.getMessage();
  }
}
