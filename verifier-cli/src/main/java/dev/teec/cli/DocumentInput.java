package dev.teec.cli;

import dev.teec.verifier.AttestationVerifier;
import dev.teec.verifier.Bytes;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One input file and the document bytes it holds. Attestation documents travel as raw COSE bytes,
 * or as hex or base64 text (in JSON APIs, logs, environment variables); each file is decoded by
 * what it contains, not by its name.
 *
 * @param path the path as given on the command line
 * @param encoding how the file's content was decoded
 * @param content the bytes handed to the verifier
 */
record DocumentInput(String path, Encoding encoding, Bytes content) {
  /**
   * Files larger than this are refused, after reading at most one byte more. It leaves room for the
   * largest document the verifier accepts in any text form, with line breaks; anything bigger is
   * the wrong file.
   */
  static final long MAX_FILE_BYTES = 64L * AttestationVerifier.DEFAULT_MAX_DOCUMENT_BYTES;

  /** How a file's content was turned into document bytes. */
  enum Encoding {
    RAW,
    HEX,
    BASE64,
    BASE64URL;

    /** The lowercase name used in reports. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  DocumentInput {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(content, "content");
  }

  /**
   * Reads and decodes {@code path}.
   *
   * @throws IOException if the file cannot be read or is larger than {@link #MAX_FILE_BYTES}
   */
  static DocumentInput read(String path) throws IOException {
    byte[] data;
    // java.io rather than Files.readAllBytes and two stats: a batch reads thousands of files, and
    // this takes half the CPU. One byte more than allowed is enough to refuse a larger file, or a
    // device that never ends, without reading it whole.
    try (FileInputStream in = new FileInputStream(path)) {
      data = in.readNBytes((int) MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw precisely(Path.of(path), e);
    }
    if (data.length > MAX_FILE_BYTES) {
      long size = Files.size(Path.of(path));
      throw new IOException(
          (size > MAX_FILE_BYTES ? String.valueOf(size) : "over " + MAX_FILE_BYTES)
              + " bytes is far more than any attestation document (the verifier"
              + " accepts at most "
              + AttestationVerifier.DEFAULT_MAX_DOCUMENT_BYTES
              + "); refused");
    }
    return decode(path, data);
  }

  /**
   * The error for a file that java.io could not read, as NIO names it: a directory, or the {@link
   * java.nio.file.NoSuchFileException} or {@link java.nio.file.AccessDeniedException} that {@link
   * CliSupport#describe} words for the user; {@code e} itself when the file opens now.
   */
  private static IOException precisely(Path file, IOException e) {
    if (Files.isDirectory(file)) {
      return new IOException("is a directory", e);
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      return e;
    } catch (IOException precise) {
      return precise;
    }
  }

  /**
   * Decodes file content: printable text that is entirely hex digits is hex, otherwise text that
   * decodes as base64 (standard, then URL-safe; whitespace ignored) is base64, and anything else is
   * taken as raw bytes. Hex wins the tie because every even-length hex string is also base64.
   */
  static DocumentInput decode(String path, byte[] data) {
    if (isText(data)) {
      String compact = withoutWhitespace(new String(data, StandardCharsets.US_ASCII));
      String digits =
          compact.startsWith("0x") || compact.startsWith("0X") ? compact.substring(2) : compact;
      if (!digits.isEmpty() && digits.length() % 2 == 0 && isHexDigits(digits)) {
        return new DocumentInput(path, Encoding.HEX, Bytes.of(HexFormat.of().parseHex(digits)));
      }
      if (!compact.isEmpty()) {
        Optional<byte[]> standard = base64(Base64.getDecoder(), compact);
        if (standard.isPresent()) {
          return new DocumentInput(path, Encoding.BASE64, Bytes.of(standard.get()));
        }
        Optional<byte[]> urlSafe = base64(Base64.getUrlDecoder(), compact);
        if (urlSafe.isPresent()) {
          return new DocumentInput(path, Encoding.BASE64URL, Bytes.of(urlSafe.get()));
        }
      }
    }
    return new DocumentInput(path, Encoding.RAW, Bytes.of(data));
  }

  private static Optional<byte[]> base64(Base64.Decoder decoder, String text) {
    try {
      return Optional.of(decoder.decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isText(byte[] data) {
    for (byte b : data) {
      if ((b < 0x20 || b > 0x7e) && !isWhitespace((char) b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }

  private static String withoutWhitespace(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isWhitespace(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isHexDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
