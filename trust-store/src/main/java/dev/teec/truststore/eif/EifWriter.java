package dev.teec.truststore.eif;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.teec.digest.Digests;
import dev.teec.verifier.Bytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Writes a minimal version-4 EIF from a kernel, a command line and ramdisks, laid out as nitro-cli
 * lays out its files: kernel, command line, metadata (when given), ramdisks, signature (when
 * given). {@link EifReader} measures the result exactly as it measures nitro-cli's files, which is
 * what makes the measurement testable without Nitro hardware.
 *
 * <p>The file is written to a temporary sibling and renamed into place, so a failure leaves no
 * half-written image.
 */
public final class EifWriter {
  private final List<Part> parts;
  private final int flags;
  private final long defaultMemory;
  private final long defaultCpus;

  private EifWriter(Builder b) {
    if (b.kernel == null || b.cmdline == null || b.ramdisks.isEmpty()) {
      throw new IllegalStateException(
          "an EIF needs a kernel, a command line and at least one ramdisk");
    }
    List<Part> p = new ArrayList<>();
    p.add(Part.file(EifSectionType.KERNEL, b.kernel));
    p.add(Part.bytes(EifSectionType.CMDLINE, b.cmdline.getBytes(StandardCharsets.UTF_8)));
    if (b.metadata != null) {
      p.add(Part.bytes(EifSectionType.METADATA, b.metadata));
    }
    for (Path ramdisk : b.ramdisks) {
      p.add(Part.file(EifSectionType.RAMDISK, ramdisk));
    }
    byte[] signatureSection = b.signatureSection;
    if (b.signingCertificate != null) {
      signatureSection = EifSignatures.section(b.signingCertificate, b.signingKey, pcr0(p));
    }
    if (signatureSection != null) {
      p.add(Part.bytes(EifSectionType.SIGNATURE, signatureSection));
    }
    if (p.size() > EifReader.MAX_SECTIONS) {
      throw new IllegalStateException(
          "an EIF holds at most " + EifReader.MAX_SECTIONS + " sections");
    }
    this.parts = List.copyOf(p);
    this.flags = b.flags;
    this.defaultMemory = b.defaultMemory;
    this.defaultCpus = b.defaultCpus;
  }

  /** PCR0 of the sections so far, which the signature signs. */
  private static Bytes pcr0(List<Part> parts) {
    MessageDigest d = Digests.sha384();
    byte[] buffer = new byte[1 << 16];
    for (Part part : parts) {
      if (part.type() == EifSectionType.METADATA) {
        continue;
      }
      try (InputStream in = part.open()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          d.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + part.type() + " input", e);
      }
    }
    return EifReader.extend(d.digest());
  }

  /** A builder with nitro-cli's defaults: x86_64, 1 GiB, 2 vCPUs, no metadata, unsigned. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the image to {@code out}, atomically.
   *
   * @throws IOException if an input cannot be read or {@code out} cannot be written
   */
  public void write(Path out) throws IOException {
    long[] sizes = new long[parts.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = parts.get(i).size();
    }
    byte[] header = header(sizes, 0);
    CRC32 crc = new CRC32();
    crc.update(header, 0, header.length - 4);
    for (int i = 0; i < parts.size(); i++) {
      crc.update(sectionHeader(parts.get(i).type(), sizes[i]));
      try (InputStream in = parts.get(i).open()) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          crc.update(buffer, 0, n);
        }
      }
    }
    header = header(sizes, crc.getValue());
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".tmp");
    try {
      try (OutputStream o = Files.newOutputStream(tmp)) {
        o.write(header);
        for (int i = 0; i < parts.size(); i++) {
          o.write(sectionHeader(parts.get(i).type(), sizes[i]));
          try (InputStream in = parts.get(i).open()) {
            long copied = in.transferTo(o);
            if (copied != sizes[i]) {
              throw new IOException(parts.get(i).type() + " input changed size while writing");
            }
          }
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A signature section in nitro-cli's encoding: a CBOR array holding one map with the PEM {@code
   * signing_certificate} and the COSE_Sign1 {@code signature}, each byte vector encoded as an array
   * of integers (serde's default).
   *
   * @param pemCertificate the signing certificate, PEM
   * @param coseSign1 the serialized COSE_Sign1 over PCR0; not interpreted here
   */
  public static byte[] signatureSection(String pemCertificate, byte[] coseSign1) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
      g.writeStartArray();
      g.writeStartObject();
      g.writeFieldName("signing_certificate");
      writeByteVector(g, pemCertificate.getBytes(StandardCharsets.US_ASCII));
      g.writeFieldName("signature");
      writeByteVector(g, coseSign1);
      g.writeEndObject();
      g.writeEndArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing CBOR to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static void writeByteVector(JsonGenerator g, byte[] bytes) throws IOException {
    g.writeStartArray();
    for (byte b : bytes) {
      g.writeNumber(Byte.toUnsignedInt(b));
    }
    g.writeEndArray();
  }

  private byte[] header(long[] sizes, long crc) {
    ByteBuffer b = ByteBuffer.allocate(EifReader.HEADER_SIZE);
    b.put(EifReader.MAGIC);
    b.putShort((short) EifReader.MAX_VERSION);
    b.putShort((short) flags);
    b.putLong(defaultMemory);
    b.putLong(defaultCpus);
    b.putShort((short) 0);
    b.putShort((short) sizes.length);
    long offset = EifReader.HEADER_SIZE;
    long[] offsets = new long[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      offsets[i] = offset;
      offset += EifReader.SECTION_HEADER_SIZE + sizes[i];
    }
    for (int i = 0; i < EifReader.MAX_SECTIONS; i++) {
      b.putLong(i < offsets.length ? offsets[i] : 0);
    }
    for (int i = 0; i < EifReader.MAX_SECTIONS; i++) {
      b.putLong(i < sizes.length ? sizes[i] : 0);
    }
    b.putInt(0);
    b.putInt((int) crc);
    return b.array();
  }

  static byte[] sectionHeader(EifSectionType type, long size) {
    return ByteBuffer.allocate(EifReader.SECTION_HEADER_SIZE)
        .putShort((short) type.code())
        .putShort((short) 0)
        .putLong(size)
        .array();
  }

  private record Part(EifSectionType type, Path file, byte[] data) {
    static Part file(EifSectionType type, Path file) {
      return new Part(type, Objects.requireNonNull(file), null);
    }

    static Part bytes(EifSectionType type, byte[] data) {
      return new Part(type, null, data.clone());
    }

    long size() throws IOException {
      return file != null ? Files.size(file) : data.length;
    }

    InputStream open() throws IOException {
      return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(data);
    }
  }

  /** Collects the sections; {@link #build} checks that the image is complete. */
  public static final class Builder {
    private Path kernel;
    private String cmdline;
    private final List<Path> ramdisks = new ArrayList<>();
    private byte[] metadata;
    private byte[] signatureSection;
    private X509Certificate signingCertificate;
    private PrivateKey signingKey;
    private int flags;
    private long defaultMemory = 1L << 30;
    private long defaultCpus = 2;

    private Builder() {}

    /** The kernel image file. */
    public Builder kernel(Path file) {
      this.kernel = Objects.requireNonNull(file, "kernel");
      return this;
    }

    /** The kernel command line, stored as UTF-8 without a terminating NUL. */
    public Builder cmdline(String cmdline) {
      if (cmdline.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("the command line must not contain NUL");
      }
      this.cmdline = cmdline;
      return this;
    }

    /** Appends a ramdisk; the first is the boot ramfs (PCR1), the others the application (PCR2). */
    public Builder addRamdisk(Path file) {
      ramdisks.add(Objects.requireNonNull(file, "ramdisk"));
      return this;
    }

    /** The metadata section's content (nitro-cli writes JSON); not measured. */
    public Builder metadata(byte[] metadata) {
      this.metadata = metadata.clone();
      return this;
    }

    /**
     * A signature section, as made by {@link EifWriter#signatureSection}; its certificate gives
     * PCR8.
     */
    public Builder signatureSection(byte[] section) {
      this.signatureSection = section.clone();
      return this;
    }

    /**
     * Signs the image as nitro-cli does: a COSE_Sign1 (ES384) by {@code key} over PCR0, with {@code
     * certificate} (whose DER gives PCR8). The key must be the certificate's P-384 key.
     */
    public Builder sign(X509Certificate certificate, PrivateKey key) {
      this.signingCertificate = Objects.requireNonNull(certificate, "certificate");
      this.signingKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Marks the image as aarch64 (header flag bit 0). */
    public Builder arm64(boolean arm64) {
      this.flags = arm64 ? EifReader.FLAG_ARM64 : 0;
      return this;
    }

    /** The writer; fails if the kernel, command line or every ramdisk is missing. */
    public EifWriter build() {
      return new EifWriter(this);
    }
  }
}
