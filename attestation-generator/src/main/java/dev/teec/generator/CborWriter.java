package dev.teec.generator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A small CBOR (RFC 8949) writer that encodes exactly what it is given, including what ordinary
 * encoders refuse to produce: duplicate map keys, indefinite-length maps, any tag, and pre-encoded
 * raw bytes. Heads always use the shortest form, and maps keep the entry order given, so the same
 * items always give the same bytes.
 *
 * <pre>{@code
 * byte[] header = CborWriter.map(CborWriter.entry(1, CborWriter.integer(-35))).encode(); // a1 01 38 22
 * }</pre>
 */
public final class CborWriter {
  private static final int UNSIGNED = 0;
  private static final int NEGATIVE = 1;
  private static final int BYTES = 2;
  private static final int TEXT = 3;
  private static final int ARRAY = 4;
  private static final int MAP = 5;
  private static final int TAG = 6;
  private static final int INDEFINITE_MAP = 0xbf;
  private static final int BREAK = 0xff;
  private static final int NULL = 0xf6;

  private CborWriter() {}

  /** One CBOR data item, ready to encode. Items are immutable. */
  @FunctionalInterface
  public interface Item {
    /** Appends this item's encoding to {@code out}. */
    void writeTo(ByteArrayOutputStream out);

    /** This item's encoding. */
    default byte[] encode() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writeTo(out);
      return out.toByteArray();
    }
  }

  /** One map entry; a map may hold several entries with equal keys. */
  public record Entry(Item key, Item value) {}

  /** An integer: major type 0 when non-negative, 1 when negative. */
  public static Item integer(long value) {
    return value >= 0 ? out -> head(out, UNSIGNED, value) : out -> head(out, NEGATIVE, -1 - value);
  }

  /** A definite-length byte string. */
  public static Item bytes(byte[] value) {
    byte[] copy = value.clone();
    return out -> {
      head(out, BYTES, copy.length);
      out.writeBytes(copy);
    };
  }

  /** A definite-length UTF-8 text string. */
  public static Item text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return out -> {
      head(out, TEXT, utf8.length);
      out.writeBytes(utf8);
    };
  }

  /** The simple value null. */
  public static Item nul() {
    return out -> out.write(NULL);
  }

  /** A definite-length array. */
  public static Item array(Item... items) {
    return array(Arrays.asList(items));
  }

  /** A definite-length array. */
  public static Item array(List<Item> items) {
    List<Item> copy = List.copyOf(items);
    return out -> {
      head(out, ARRAY, copy.size());
      copy.forEach(item -> item.writeTo(out));
    };
  }

  /** A definite-length map with the entries in this order, duplicates included. */
  public static Item map(Entry... entries) {
    return map(Arrays.asList(entries));
  }

  /** A definite-length map with the entries in this order, duplicates included. */
  public static Item map(List<Entry> entries) {
    List<Entry> copy = List.copyOf(entries);
    return out -> {
      head(out, MAP, copy.size());
      writeEntries(out, copy);
    };
  }

  /** An indefinite-length map ({@code 0xbf ... 0xff}), as NSM firmware emits since 2025. */
  public static Item indefiniteMap(List<Entry> entries) {
    List<Entry> copy = List.copyOf(entries);
    return out -> {
      out.write(INDEFINITE_MAP);
      writeEntries(out, copy);
      out.write(BREAK);
    };
  }

  /** {@code item} preceded by tag {@code tag}. */
  public static Item tagged(long tag, Item item) {
    return out -> {
      head(out, TAG, tag);
      item.writeTo(out);
    };
  }

  /** Bytes written verbatim: an already encoded item, or deliberately malformed data. */
  public static Item raw(byte[] encoded) {
    byte[] copy = encoded.clone();
    return out -> out.writeBytes(copy);
  }

  public static Entry entry(Item key, Item value) {
    return new Entry(key, value);
  }

  /** An entry with a text key. */
  public static Entry entry(String key, Item value) {
    return new Entry(text(key), value);
  }

  /** An entry with an integer key. */
  public static Entry entry(long key, Item value) {
    return new Entry(integer(key), value);
  }

  private static void writeEntries(ByteArrayOutputStream out, List<Entry> entries) {
    for (Entry e : entries) {
      e.key().writeTo(out);
      e.value().writeTo(out);
    }
  }

  /** Writes a head with the shortest argument encoding (RFC 8949 section 4.2.1). */
  private static void head(ByteArrayOutputStream out, int majorType, long argument) {
    int mt = majorType << 5;
    if (argument < 24) {
      out.write(mt | (int) argument);
    } else if (argument <= 0xffL) {
      out.write(mt | 24);
      out.write((int) argument);
    } else if (argument <= 0xffffL) {
      out.write(mt | 25);
      writeBigEndian(out, argument, 2);
    } else if (argument <= 0xffff_ffffL) {
      out.write(mt | 26);
      writeBigEndian(out, argument, 4);
    } else {
      out.write(mt | 27);
      writeBigEndian(out, argument, 8);
    }
  }

  private static void writeBigEndian(ByteArrayOutputStream out, long value, int length) {
    for (int shift = 8 * (length - 1); shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }
}
