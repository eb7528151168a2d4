package dev.teec.enclave.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A hand-driven proxy client: one connection, exact bytes, for keep-alive and malformed-input
 * tests.
 */
final class RawClient implements AutoCloseable {

  /** A response as read back: status code, head and body. */
  record Response(int status, HttpHead head, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private Socket socket;
  private HttpInput in;
  private OutputStream out;

  RawClient(InetSocketAddress proxy) throws IOException {
    socket = new Socket(proxy.getAddress(), proxy.getPort());
    socket.setSoTimeout(10_000);
    in = new HttpInput(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Sends CONNECT; on 200 runs a TLS handshake trusting {@code trust}, verifying {@code host}. */
  Response connect(String host, int port, SSLContext trust) throws IOException {
    send("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
    HttpHead head = HttpHead.read(in, 502);
    int status = Integer.parseInt(head.startLine().substring(9, 12));
    if (status != 200) {
      return new Response(status, head, new byte[0]);
    }
    SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, host, port, true);
    SSLParameters p = tls.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(p);
    tls.startHandshake();
    socket = tls;
    in = new HttpInput(tls.getInputStream());
    out = tls.getOutputStream();
    return new Response(status, head, new byte[0]);
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one response head as it comes, interim (1xx) responses included. */
  HttpHead readHead() throws IOException {
    return HttpHead.read(in, 502);
  }

  /** Reads one response; {@code head} says whether it answers a HEAD request (no body). */
  Response read(boolean headRequest) throws IOException {
    HttpHead head = HttpHead.read(in, 502);
    if (head == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(head.startLine().substring(9, 12));
    if (status < 200 && status != 101) {
      return read(headRequest);
    }
    if (headRequest || status == 204 || status == 304) {
      return new Response(status, head, new byte[0]);
    }
    InputStream body;
    if (head.first("Transfer-Encoding") != null) {
      body = new Bodies.ChunkedInput(in, 502);
    } else if (head.first("Content-Length") != null) {
      body = new Bodies.FixedInput(in, Long.parseLong(head.first("Content-Length")));
    } else {
      body = in;
    }
    return new Response(status, head, body.readAllBytes());
  }

  /** True when the server closed the connection (end of stream on the next read). */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
