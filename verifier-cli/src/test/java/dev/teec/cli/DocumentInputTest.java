package dev.teec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teec.cli.DocumentInput.Encoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentInputTest {
  /** Starts like a COSE_Sign1 (array of 4) and has bytes no text encoding produces. */
  private static final byte[] COSE_LIKE = HexFormat.of().parseHex("8444a1013822a000ff");

  @Test
  void binary_isRaw() {
    DocumentInput in = DocumentInput.decode("f", COSE_LIKE);
    assertThat(in.encoding()).isEqualTo(Encoding.RAW);
    assertThat(in.content().toByteArray()).isEqualTo(COSE_LIKE);
  }

  @Test
  void hex_withWhitespaceUppercaseAndPrefix_isHex() {
    String hex = HexFormat.of().formatHex(COSE_LIKE);
    String wrapped = hex.substring(0, 8) + "\n  " + hex.substring(8) + "\r\n";
    for (String text : new String[] {hex, hex.toUpperCase(), "0x" + hex, wrapped}) {
      DocumentInput in = DocumentInput.decode("f", ascii(text));
      assertThat(in.encoding()).as(text).isEqualTo(Encoding.HEX);
      assertThat(in.content().toByteArray()).as(text).isEqualTo(COSE_LIKE);
    }
  }

  @Test
  void base64_standardWrappedAndUnpadded_isBase64() {
    byte[] data = new byte[100];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37 + 0xf0);
    }
    String mime =
        Base64.getMimeEncoder(20, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(data);
    for (String text : new String[] {mime, unpadded + "\n"}) {
      DocumentInput in = DocumentInput.decode("f", ascii(text));
      assertThat(in.encoding()).as(text).isEqualTo(Encoding.BASE64);
      assertThat(in.content().toByteArray()).isEqualTo(data);
    }
  }

  @Test
  void base64UrlSafe_isBase64url() {
    byte[] data = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x01};
    String text = Base64.getUrlEncoder().encodeToString(data);
    assertThat(text).contains("-").contains("_");
    DocumentInput in = DocumentInput.decode("f", ascii(text));
    assertThat(in.encoding()).isEqualTo(Encoding.BASE64URL);
    assertThat(in.content().toByteArray()).isEqualTo(data);
  }

  @Test
  void hexWinsOverBase64_forTextThatIsBoth() {
    DocumentInput in = DocumentInput.decode("f", ascii("deadbeef"));
    assertThat(in.encoding()).isEqualTo(Encoding.HEX);
    assertThat(in.content().hex()).isEqualTo("deadbeef");
  }

  @Test
  void printableTextThatIsNeither_isRaw() {
    byte[] text = ascii("not a document!");
    DocumentInput in = DocumentInput.decode("f", text);
    assertThat(in.encoding()).isEqualTo(Encoding.RAW);
    assertThat(in.content().toByteArray()).isEqualTo(text);
  }

  @Test
  void emptyAndWhitespaceOnly_areRaw() {
    assertThat(DocumentInput.decode("f", new byte[0]).encoding()).isEqualTo(Encoding.RAW);
    assertThat(DocumentInput.decode("f", ascii(" \n")).encoding()).isEqualTo(Encoding.RAW);
  }

  @Test
  void read_keepsThePathAsGiven(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("doc.hex"), ascii("0a0b\n"));
    DocumentInput in = DocumentInput.read(file.toString());
    assertThat(in.path()).isEqualTo(file.toString());
    assertThat(in.encoding()).isEqualTo(Encoding.HEX);
    assertThat(in.content().hex()).isEqualTo("0a0b");
  }

  @Test
  void read_refusesFilesFarLargerThanAnyDocument(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("big"), new byte[(int) DocumentInput.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> DocumentInput.read(file.toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("far more than any attestation document");
  }

  @Test
  void read_deviceThatNeverEnds_isRefusedAfterTheLimit() {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
    assertThatThrownBy(() -> DocumentInput.read("/dev/zero"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("over " + DocumentInput.MAX_FILE_BYTES + " bytes is far more");
  }

  @Test
  void read_missingFileAndDirectory_areNamedAsNioNamesThem(@TempDir Path dir) {
    assertThatThrownBy(() -> DocumentInput.read(dir.resolve("none").toString()))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> DocumentInput.read(dir.toString()))
        .isInstanceOf(IOException.class)
        .hasMessage("is a directory");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
