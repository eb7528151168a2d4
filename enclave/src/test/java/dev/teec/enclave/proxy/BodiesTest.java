package dev.teec.enclave.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodiesTest {

  private static HttpInput input(String s) {
    return new HttpInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static byte[] decodeChunked(String s) throws IOException {
    return new Bodies.ChunkedInput(input(s), 400).readAllBytes();
  }

  private static HttpHead head(String... fields) {
    List<HttpHead.Field> list = new java.util.ArrayList<>();
    for (int i = 0; i < fields.length; i += 2) {
      list.add(new HttpHead.Field(fields[i], fields[i + 1]));
    }
    return new HttpHead("X", list);
  }

  @Test
  void chunked_extensionsUpperCaseHexAndTrailer_decoded() throws IOException {
    HttpInput in = input("A;name=value\r\n0123456789\r\n1\r\nx\r\n0\r\nTrailer: 1\r\n\r\nNEXT");
    assertThat(new Bodies.ChunkedInput(in, 400).readAllBytes()).asString().isEqualTo("0123456789x");
    assertThat(in.readAllBytes()).asString().isEqualTo("NEXT");
  }

  @Test
  void chunked_invalidSize_rejected() {
    assertThatThrownBy(() -> decodeChunked("zz\r\n"))
        .isInstanceOf(HttpException.class)
        .hasMessageContaining("invalid chunk size");
    assertThatThrownBy(() -> decodeChunked("-1\r\n")).isInstanceOf(HttpException.class);
    assertThatThrownBy(() -> decodeChunked("1000000000000000\r\n"))
        .isInstanceOf(HttpException.class);
  }

  @Test
  void chunked_dataNotFollowedByCrlf_rejected() {
    assertThatThrownBy(() -> decodeChunked("3\r\nabcd\r\n0\r\n\r\n"))
        .isInstanceOf(HttpException.class)
        .hasMessageContaining("CRLF");
  }

  @Test
  void chunked_streamEndsInsideChunk_eof() {
    assertThatThrownBy(() -> decodeChunked("10\r\nabc")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> decodeChunked("3\r\nabc\r\n")).isInstanceOf(EOFException.class);
  }

  @Test
  void chunkedOutput_roundTripsThroughChunkedInput() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Bodies.ChunkedOutput out = new Bodies.ChunkedOutput(bytes);
    out.write("hello ".getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[0]);
    out.write("world".getBytes(StandardCharsets.US_ASCII));
    out.finish();
    assertThat(bytes.toString(StandardCharsets.US_ASCII))
        .isEqualTo("6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n");
    assertThat(decodeChunked(bytes.toString(StandardCharsets.US_ASCII)))
        .asString()
        .isEqualTo("hello world");
  }

  @Test
  void fixedInput_shortStream_eofNamingCounts() {
    assertThatThrownBy(() -> new Bodies.FixedInput(input("abc"), 5).readAllBytes())
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("3 of 5");
  }

  @Test
  void declaredLength_framingRules() throws HttpException {
    assertThat(Bodies.declaredLength(head(), 400)).isZero();
    assertThat(Bodies.declaredLength(head("Content-Length", "42"), 400)).isEqualTo(42);
    assertThat(Bodies.declaredLength(head("Content-Length", "7, 7", "content-length", "7"), 400))
        .isEqualTo(7);
    assertThat(Bodies.declaredLength(head("Transfer-Encoding", "Chunked"), 400))
        .isEqualTo(Bodies.CHUNKED);
  }

  @Test
  void declaredLength_ambiguousOrUnsupported_rejectedWithStatus() {
    assertThatThrownBy(
            () ->
                Bodies.declaredLength(
                    head("Content-Length", "1", "Transfer-Encoding", "chunked"), 400))
        .isInstanceOf(HttpException.class)
        .hasFieldOrPropertyWithValue("status", 400);
    assertThatThrownBy(
            () -> Bodies.declaredLength(head("Content-Length", "1", "Content-Length", "2"), 400))
        .hasMessageContaining("conflicting");
    assertThatThrownBy(() -> Bodies.declaredLength(head("Content-Length", "-1"), 400))
        .hasMessageContaining("invalid Content-Length");
    assertThatThrownBy(() -> Bodies.declaredLength(head("Transfer-Encoding", "gzip"), 400))
        .isInstanceOf(HttpException.class)
        .hasFieldOrPropertyWithValue("status", 501);
    assertThatThrownBy(() -> Bodies.declaredLength(head("Transfer-Encoding", "gzip"), 502))
        .isInstanceOf(HttpException.class)
        .hasFieldOrPropertyWithValue("status", 502);
  }

  @Test
  void head_obsoleteFoldingAndBadNames_rejected() {
    assertThatThrownBy(
            () -> HttpHead.read(input("GET / HTTP/1.1\r\nA: 1\r\n  folded\r\n\r\n"), 400))
        .hasMessageContaining("folding");
    assertThatThrownBy(() -> HttpHead.read(input("GET / HTTP/1.1\r\nA B: 1\r\n\r\n"), 400))
        .hasMessageContaining("field name");
    assertThatThrownBy(() -> HttpHead.read(input("GET / HTTP/1.1\r\nA : 1\r\n\r\n"), 400))
        .hasMessageContaining("field name");
    assertThatThrownBy(() -> HttpHead.read(input("GET / HTTP/1.1\r\nA: 1\rB\r\n\r\n"), 400))
        .hasMessageContaining("bare CR");
  }

  @Test
  void head_bareLfAndLeadingEmptyLines_accepted() throws IOException {
    HttpHead h = HttpHead.read(input("\r\nGET / HTTP/1.1\nHost: a\n\n"), 400);
    assertThat(h.startLine()).isEqualTo("GET / HTTP/1.1");
    assertThat(h.first("host")).isEqualTo("a");
  }

  @Test
  void head_eightLeadingEmptyLinesAccepted_nineRejected() throws IOException {
    assertThat(HttpHead.read(input("\r\n".repeat(8) + "GET / HTTP/1.1\r\n\r\n"), 400).startLine())
        .isEqualTo("GET / HTTP/1.1");
    assertThatThrownBy(() -> HttpHead.read(input("\r\n".repeat(9) + "GET / HTTP/1.1\r\n\r\n"), 400))
        .hasMessageContaining("empty lines");
    assertThat(HttpHead.read(input("\r\n\r\n"), 400)).isNull();
  }

  @Test
  void head_endToEnd_dropsHopByHopAndConnectionListedFields() {
    HttpHead h =
        head(
            "Connection",
            "keep-alive, X-A",
            "X-A",
            "1",
            "Keep-Alive",
            "5",
            "TE",
            "trailers",
            "Upgrade",
            "h2c",
            "Accept",
            "*/*",
            "Content-Length",
            "3");
    assertThat(h.endToEnd(java.util.Set.of())).containsExactly(new HttpHead.Field("Accept", "*/*"));
  }
}
