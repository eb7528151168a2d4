package dev.teec.json;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.Objects;

/**
 * The CBOR side of {@link BoundedJson}: the same strict settings and limits for documents in CBOR
 * (RFC 8949). A class of its own because its dependency, jackson-dataformat-cbor, is optional: only
 * modules that read CBOR load it.
 */
public final class BoundedCbor {
  private BoundedCbor() {}

  /** A CBOR reader into Jackson trees with these limits (see {@link BoundedJson}). */
  public static BoundedJson reader(JsonLimits limits) {
    return new BoundedJson(limits, BoundedJson.strict(CBORMapper.builder(factory(limits))).build());
  }

  /**
   * A CBOR factory with these limits, for readers that stream tokens themselves (and so must detect
   * duplicate keys and bound decimals themselves, or not accept them) and for writers.
   */
  public static CBORFactory factory(JsonLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return CBORFactory.builder().streamReadConstraints(BoundedJson.constraints(limits)).build();
  }
}
