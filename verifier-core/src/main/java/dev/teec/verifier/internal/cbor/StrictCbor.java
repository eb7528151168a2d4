package dev.teec.verifier.internal.cbor;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Strict CBOR decoding for attestation documents: {@link CborScanner} first enforces the encoding
 * (one item, nothing after it, shortest heads, indefinite lengths only for maps where allowed),
 * then the PeterO decoder builds the tree and rejects duplicate map keys and malformed UTF-8 (its
 * defaults, relied on explicitly here). Non-canonical key order is accepted because real NSM
 * documents use it (SPEC.md V1).
 */
public final class StrictCbor {
  private StrictCbor() {}

  /**
   * Decodes exactly one item.
   *
   * @param indefiniteMapsAllowed whether maps may have indefinite length (only the payload)
   * @throws CborFormatException if the bytes are not one well-formed item without duplicate keys
   */
  public static CBORObject decode(byte[] bytes, String what, boolean indefiniteMapsAllowed)
      throws CborFormatException {
    CborScanner.scan(bytes, what, indefiniteMapsAllowed);
    try {
      return CBORObject.DecodeFromBytes(bytes);
    } catch (CBORException e) {
      throw new CborFormatException(what + " is not well-formed CBOR: " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      throw new CborFormatException(what + " is not well-formed CBOR: " + e, e);
    }
  }

  /** Describes the first tag found anywhere inside {@code item} (including itself), if any. */
  public static Optional<String> findTag(CBORObject item, String path) {
    // The path is assembled only for a tag found, on the way back out of the recursion: this
    // runs on every well-formed document, which has no tags below the top.
    List<String> trail = new ArrayList<>();
    CBORObject tagged = findTagged(item, trail);
    if (tagged == null) {
      return Optional.empty();
    }
    StringBuilder where = new StringBuilder(path);
    for (int i = trail.size() - 1; i >= 0; i--) {
      where.append(trail.get(i));
    }
    return Optional.of("tag " + tagged.getMostOuterTag() + " at " + where);
  }

  /** The first tagged item in depth-first order; {@code trail} gets its path, innermost first. */
  private static CBORObject findTagged(CBORObject item, List<String> trail) {
    if (item.isTagged()) {
      return item;
    }
    if (item.getType() == CBORType.Array) {
      for (int i = 0; i < item.size(); i++) {
        CBORObject t = findTagged(item.get(i), trail);
        if (t != null) {
          trail.add("[" + i + "]");
          return t;
        }
      }
    } else if (item.getType() == CBORType.Map) {
      for (CBORObject key : item.getKeys()) {
        CBORObject t = findTagged(key, trail);
        if (t != null) {
          trail.add("{key}");
          return t;
        }
        t = findTagged(item.get(key), trail);
        if (t != null) {
          trail.add("." + describeKey(key));
          return t;
        }
      }
    }
    return null;
  }

  /** A short, printable name for a map key. */
  public static String describeKey(CBORObject key) {
    if (key.getType() == CBORType.TextString) {
      return key.AsString();
    }
    if (key.getType() == CBORType.Integer) {
      return key.AsEIntegerValue().toString();
    }
    return "<" + key.getType() + " key>";
  }

  /** A short name of an item's type for error messages. */
  public static String typeName(CBORObject item) {
    if (item.isNull()) {
      return "null";
    }
    switch (item.getType()) {
      case ByteString:
        return "byte string";
      case TextString:
        return "text string";
      case Integer:
        return "integer";
      case FloatingPoint:
        return "float";
      case Array:
        return "array";
      case Map:
        return "map";
      case Boolean:
        return "boolean";
      default:
        return item.getType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
