package dev.teec.truststore.eif;

import dev.teec.digest.Digests;
import dev.teec.verifier.Bytes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Validates an EIF and computes the PCRs an enclave booted from it reports, without Nitro hardware.
 *
 * <p>The measurements follow nitro-cli: each PCR is {@code SHA-384(48 zero bytes || SHA-384(data))}
 * where {@code data} is the concatenation, in file order, of the measured sections' contents (never
 * their headers). PCR0 covers the kernel, command line and every ramdisk; PCR1 the kernel, command
 * line and first ramdisk; PCR2 the remaining ramdisks; PCR8, for signed files only, the DER
 * encoding of the signing certificate. The metadata section is not measured.
 *
 * <p>The file is streamed, so images of hundreds of megabytes need no more than a small buffer. A
 * file is rejected unless its magic, version, section table and CRC-32 are all consistent; the
 * signature section's COSE_Sign1 is verified against its certificate and this file's PCR0 and the
 * outcome reported ({@link EifMeasurement#signature()}); a bad signature does not make the file
 * malformed, as nitro-cli also reports it separately.
 */
public final class EifReader {
  /** {@code .eif} in ASCII. */
  static final byte[] MAGIC = {0x2e, 0x65, 0x69, 0x66};

  /**
   * The header: magic, version, flags, memory, cpus, reserved, count, 32 offsets, 32 sizes, unused,
   * CRC.
   */
  static final int HEADER_SIZE = 548;

  static final int SECTION_HEADER_SIZE = 12;
  static final int MAX_SECTIONS = 32;
  static final int FLAG_ARM64 = 0x1;

  /** Versions 2 to 4 carry the CRC-32 this reader requires; 4 is what current nitro-cli writes. */
  static final int MIN_VERSION = 2;

  static final int MAX_VERSION = 4;

  /**
   * A PEM certificate and a COSE_Sign1 are a few kilobytes; this bounds what is read into memory.
   */
  static final int MAX_SIGNATURE_SECTION = 1 << 20;

  private static final int PCR_LENGTH = 48;

  private EifReader() {}

  /**
   * Reads, validates and measures the EIF at {@code file}.
   *
   * @throws EifFormatException if the file is not a well-formed EIF; nothing is measured then
   * @throws IOException if the file cannot be read
   */
  public static EifMeasurement measure(Path file) throws IOException, EifFormatException {
    long fileSize = Files.size(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return measure(in, fileSize);
    }
  }

  /**
   * Reads, validates and measures an EIF of {@code fileSize} bytes from {@code in}.
   *
   * @throws EifFormatException if the bytes are not a well-formed EIF
   * @throws IOException if reading fails
   */
  public static EifMeasurement measure(InputStream in, long fileSize)
      throws IOException, EifFormatException {
    if (fileSize < HEADER_SIZE) {
      throw new EifFormatException(
          0,
          "truncated header: the file has "
              + fileSize
              + " bytes, an EIF header alone has "
              + HEADER_SIZE);
    }
    byte[] headerBytes = readFully(in, HEADER_SIZE, 0, "header");
    ByteBuffer header = ByteBuffer.wrap(headerBytes);
    byte[] magic = new byte[4];
    header.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new EifFormatException(
          0, "bad magic: expected 2e656966 (\".eif\"), found " + Bytes.of(magic).hex());
    }
    int version = Short.toUnsignedInt(header.getShort());
    if (version < MIN_VERSION || version > MAX_VERSION) {
      throw new EifFormatException(
          4,
          "unsupported EIF version "
              + version
              + ": this reader handles "
              + MIN_VERSION
              + " to "
              + MAX_VERSION);
    }
    int flags = Short.toUnsignedInt(header.getShort());
    long defaultMemory = header.getLong();
    long defaultCpus = header.getLong();
    header.getShort(); // reserved
    int count = Short.toUnsignedInt(header.getShort());
    if (count == 0 || count > MAX_SECTIONS) {
      throw new EifFormatException(
          26, "bad section table: " + count + " sections, expected 1 to " + MAX_SECTIONS);
    }
    long[] offsets = new long[MAX_SECTIONS];
    long[] sizes = new long[MAX_SECTIONS];
    for (int i = 0; i < MAX_SECTIONS; i++) {
      offsets[i] = header.getLong();
    }
    for (int i = 0; i < MAX_SECTIONS; i++) {
      sizes[i] = header.getLong();
    }
    for (int i = count; i < MAX_SECTIONS; i++) {
      if (offsets[i] != 0 || sizes[i] != 0) {
        throw new EifFormatException(
            28 + 8L * i,
            "bad section table: entry "
                + i
                + " is beyond the "
                + count
                + " sections the header declares but is not zero");
      }
    }
    header.getInt(); // unused
    long declaredCrc = Integer.toUnsignedLong(header.getInt());

    CRC32 crc = new CRC32();
    crc.update(headerBytes, 0, HEADER_SIZE - 4);
    MessageDigest image = Digests.sha384();
    MessageDigest bootstrap = Digests.sha384();
    MessageDigest application = Digests.sha384();
    MessageDigest certificate = null;
    EifSignatures.Entry signature = null;
    Map<EifSectionType, Integer> seen = new EnumMap<>(EifSectionType.class);
    List<EifSection> sections = new ArrayList<>();
    byte[] buffer = new byte[1 << 16];
    long position = HEADER_SIZE;
    int ramdisks = 0;
    while (position < fileSize) {
      int index = sections.size();
      if (index == count) {
        throw new EifFormatException(
            position,
            "bad section table: data after the " + count + " sections the header declares");
      }
      if (fileSize - position < SECTION_HEADER_SIZE) {
        throw new EifFormatException(
            position,
            "truncated section header: section "
                + index
                + " needs "
                + SECTION_HEADER_SIZE
                + " bytes, "
                + (fileSize - position)
                + " remain");
      }
      byte[] sectionHeader = readFully(in, SECTION_HEADER_SIZE, position, "section header");
      ByteBuffer sh = ByteBuffer.wrap(sectionHeader);
      int code = Short.toUnsignedInt(sh.getShort());
      int sectionFlags = Short.toUnsignedInt(sh.getShort());
      long size = sh.getLong();
      EifSectionType type = EifSectionType.ofCode(code);
      if (type == null) {
        throw new EifFormatException(position, "section " + index + " has invalid type " + code);
      }
      long dataStart = position + SECTION_HEADER_SIZE;
      if (size < 0 || size > fileSize - dataStart) {
        throw new EifFormatException(
            dataStart,
            "truncated section: section "
                + index
                + " ("
                + name(type)
                + ") declares "
                + Long.toUnsignedString(size)
                + " bytes, "
                + (fileSize - dataStart)
                + " remain");
      }
      if (offsets[index] != position || sizes[index] != size) {
        throw new EifFormatException(
            28 + 8L * index,
            "bad section table: entry "
                + index
                + " says offset "
                + Long.toUnsignedString(offsets[index])
                + ", size "
                + Long.toUnsignedString(sizes[index])
                + ", but section "
                + index
                + " ("
                + name(type)
                + ") is at offset "
                + position
                + " with size "
                + size);
      }
      crc.update(sectionHeader);
      List<MessageDigest> targets = new ArrayList<>(2);
      switch (type) {
        case KERNEL, CMDLINE -> {
          targets.add(image);
          targets.add(bootstrap);
        }
        case RAMDISK -> {
          targets.add(image);
          targets.add(ramdisks == 0 ? bootstrap : application);
          ramdisks++;
        }
        default -> {}
      }
      if (type == EifSectionType.SIGNATURE) {
        if (size > MAX_SIGNATURE_SECTION) {
          throw new EifFormatException(
              position,
              "signature section of "
                  + size
                  + " bytes exceeds the "
                  + MAX_SIGNATURE_SECTION
                  + "-byte limit");
        }
        byte[] data = readFully(in, (int) size, dataStart, "signature section");
        crc.update(data);
        signature = EifSignatures.firstEntry(data, dataStart);
        certificate = Digests.sha384();
        try {
          certificate.update(signature.certificate().getEncoded());
        } catch (CertificateEncodingException e) {
          throw new EifFormatException(
              dataStart, "signature section: unencodable signing certificate");
        }
      } else {
        long remaining = size;
        while (remaining > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
          if (n < 0) {
            throw new EifFormatException(
                dataStart + size - remaining, "truncated section: the file ended early");
          }
          crc.update(buffer, 0, n);
          for (MessageDigest d : targets) {
            d.update(buffer, 0, n);
          }
          remaining -= n;
        }
      }
      seen.merge(type, 1, Integer::sum);
      sections.add(new EifSection(type, sectionFlags, position, size));
      position = dataStart + size;
    }
    if (sections.size() != count) {
      throw new EifFormatException(
          position,
          "bad section table: the header declares "
              + count
              + " sections, the file has "
              + sections.size());
    }
    if (crc.getValue() != declaredCrc) {
      throw new EifFormatException(
          544,
          String.format(
              Locale.ROOT,
              "CRC mismatch: the header says %08x, the file's CRC-32 is %08x",
              declaredCrc,
              crc.getValue()));
    }
    requireCount(seen, EifSectionType.KERNEL, 1, 1);
    requireCount(seen, EifSectionType.CMDLINE, 1, 1);
    requireCount(seen, EifSectionType.RAMDISK, 1, MAX_SECTIONS);
    requireCount(seen, EifSectionType.SIGNATURE, 0, 1);
    requireCount(seen, EifSectionType.METADATA, 0, 1);

    TreeMap<Integer, Bytes> pcrs = new TreeMap<>();
    pcrs.put(0, extend(image.digest()));
    pcrs.put(1, extend(bootstrap.digest()));
    pcrs.put(2, extend(application.digest()));
    if (certificate != null) {
      pcrs.put(8, extend(certificate.digest()));
    }
    Optional<EifSignatureCheck> check =
        signature == null
            ? Optional.empty()
            : Optional.of(EifSignatures.check(signature, pcrs.get(0)));
    return new EifMeasurement(
        version, flags, defaultMemory, defaultCpus, declaredCrc, sections, pcrs, check);
  }

  /** A PCR extended once from zero: {@code SHA-384(48 zero bytes || digest)}. */
  static Bytes extend(byte[] digest) {
    MessageDigest d = Digests.sha384();
    d.update(new byte[PCR_LENGTH]);
    d.update(digest);
    return Bytes.of(d.digest());
  }

  private static void requireCount(
      Map<EifSectionType, Integer> seen, EifSectionType type, int min, int max)
      throws EifFormatException {
    int n = seen.getOrDefault(type, 0);
    if (n < min || n > max) {
      String expected =
          min == max ? "exactly " + min : max == 1 ? "at most one" : "at least " + min;
      throw new EifFormatException(
          HEADER_SIZE,
          "bad section table: " + n + " " + name(type) + " section(s), expected " + expected);
    }
  }

  static String name(EifSectionType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private static byte[] readFully(InputStream in, int n, long offset, String what)
      throws IOException, EifFormatException {
    byte[] data = in.readNBytes(n);
    if (data.length != n) {
      throw new EifFormatException(offset, "truncated " + what + ": the file ended early");
    }
    return data;
  }
}
