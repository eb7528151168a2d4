package dev.teec.vectors;

import dev.teec.generator.CborWriter;
import dev.teec.generator.CoseSign1;
import dev.teec.generator.Derive;
import dev.teec.generator.DeterministicKey;
import dev.teec.generator.DocumentSigner;
import dev.teec.generator.DocumentSpec;
import dev.teec.generator.KeyType;
import dev.teec.generator.SimulatedChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A group of scenarios in the catalogue: what every group shares (the seed, the base instant, the
 * simulated chain, the derived values) and the helpers that build and describe their documents.
 */
abstract class ScenarioGroup {
  static final byte[] USER_DATA =
      "teec test: user data bound into the document".getBytes(StandardCharsets.UTF_8);
  static final List<String> NSM_KEY_ORDER =
      List.of(
          "module_id",
          "digest",
          "timestamp",
          "pcrs",
          "certificate",
          "cabundle",
          "public_key",
          "user_data",
          "nonce");
  static final int PCR_BYTES = 48;

  /** An extension OID in the UUID arc (X.667), which needs no registration and means nothing. */
  static final ASN1ObjectIdentifier UNKNOWN_EXTENSION =
      new ASN1ObjectIdentifier("2.25.329800735698586629295641978511506172918");

  final String seed;
  final Instant base;
  final SimulatedChain chain;
  final Map<Integer, byte[]> pcrs;
  final byte[] nonce;
  final byte[] publicKey;
  private final List<Scenario> out;

  /** The chain and values derived once per catalogue, and the catalogue the groups add to. */
  record Shared(
      String seed,
      Instant base,
      SimulatedChain chain,
      Map<Integer, byte[]> pcrs,
      byte[] nonce,
      byte[] publicKey,
      List<Scenario> out) {
    static Shared derive(String seed, Instant base) {
      byte[] publicKey;
      try {
        // Real documents often carry a DER public key the enclave wants bound to its identity.
        publicKey =
            DeterministicKey.derive(seed, "enclave-public-key", KeyType.P384)
                .subjectPublicKeyInfo()
                .getEncoded(ASN1Encoding.DER);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode a derived public key", e);
      }
      return new Shared(
          seed,
          base,
          SimulatedChain.generate(seed, base),
          measuredPcrs(seed, 16),
          Derive.bytes(32, "nonce", seed),
          publicKey,
          new ArrayList<>());
    }
  }

  ScenarioGroup(Shared shared) {
    this.seed = shared.seed();
    this.base = shared.base();
    this.chain = shared.chain();
    this.pcrs = shared.pcrs();
    this.nonce = shared.nonce();
    this.publicKey = shared.publicKey();
    this.out = shared.out();
  }

  /** Adds this group's scenarios to the catalogue, in catalogue order. */
  abstract void add();

  /**
   * The document most scenarios start from: NSM shape, user_data and nonce set, public_key null.
   */
  DocumentSpec.Builder spec() {
    return DocumentSpec.builder(chain.moduleId(), base, pcrs).userData(USER_DATA).nonce(nonce);
  }

  SimulatedChain.Builder variant() {
    return SimulatedChain.builder(seed, base);
  }

  byte[] sign(DocumentSpec.Builder spec) {
    return sign(chain, spec);
  }

  static byte[] sign(SimulatedChain c, DocumentSpec.Builder spec) {
    return DocumentSigner.sign(c, spec.build());
  }

  CoseSign1 envelope(DocumentSpec.Builder spec) {
    return DocumentSigner.signEnvelope(chain, spec.build());
  }

  /** Signs with an unrelated P-384 key: the chain's leaf key cannot make an ES384 signature. */
  byte[] standIn(SimulatedChain c) {
    return DocumentSigner.signEnvelope(
            spec().build(),
            c.leafCertificate(),
            c.cabundle(),
            DeterministicKey.derive(seed, "stand-in-document-key", KeyType.P384))
        .encode();
  }

  Instant leafNotAfter() {
    try {
      return new X509CertificateHolder(chain.leafCertificate()).getNotAfter().toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the generated leaf", e);
    }
  }

  /**
   * PCRs 0..count-1: 0, 1, 2, 3, 4 and 8 hold derived values (image, kernel, application, IAM role,
   * instance, signing certificate), the rest are zero, as in real documents.
   */
  static Map<Integer, byte[]> measuredPcrs(String seed, int count) {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      boolean measured = i <= 4 || i == 8;
      out.put(
          i,
          measured
              ? Derive.bytes(PCR_BYTES, "pcr", seed, Integer.toString(i))
              : new byte[PCR_BYTES]);
    }
    return out;
  }

  Map<Integer, byte[]> pcrs(int count) {
    return measuredPcrs(seed, count);
  }

  Map<Integer, byte[]> debugPcrs() {
    Map<Integer, byte[]> out = new LinkedHashMap<>(pcrs);
    for (int i = 0; i <= 2; i++) {
      out.put(i, new byte[PCR_BYTES]);
    }
    return out;
  }

  static CborWriter.Item pcrItem(Map<Integer, byte[]> values) {
    List<CborWriter.Entry> entries = new ArrayList<>();
    values.forEach((i, v) -> entries.add(CborWriter.entry(i, CborWriter.bytes(v))));
    return CborWriter.map(entries);
  }

  /** A derived 48-byte value that matches nothing in the documents. */
  byte[] other(String label) {
    return Derive.bytes(PCR_BYTES, "other", seed, label);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** A JSON object from PCR index to hex value, from alternating index and value arguments. */
  static Map<String, Object> hexMap(Object... indexValuePairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < indexValuePairs.length; i += 2) {
      out.put(indexValuePairs[i].toString(), hex((byte[]) indexValuePairs[i + 1]));
    }
    return out;
  }

  Draft scenario(String name, String description, byte[] document) {
    return new Draft(name, description, document);
  }

  /** A scenario being described; {@link #verifies} or {@link #fails} adds it to the catalogue. */
  final class Draft {
    private final String name;
    private final String description;
    private final byte[] document;
    private Instant verifyAt = base;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private Draft(String name, String description, byte[] document) {
      this.name = name;
      this.description = description;
      this.document = document;
    }

    Draft verifyAt(Instant at) {
      this.verifyAt = at;
      return this;
    }

    /**
     * Sets the policy; keys are written in SPEC.md order so that the JSON does not depend on
     * Map.of.
     */
    Draft policy(Map<String, Object> policy) {
      Map<String, Object> ordered = new LinkedHashMap<>();
      for (String key :
          List.of(
              "pcrs",
              "allowedPcrSets",
              "allowDebug",
              "allowNitroTpm",
              "userData",
              "nonce",
              "publicKey")) {
        if (policy.containsKey(key)) {
          ordered.put(key, policy.get(key));
        }
      }
      if (ordered.size() != policy.size()) {
        throw new IllegalArgumentException(name + ": unknown policy key in " + policy.keySet());
      }
      return option("policy", ordered);
    }

    Draft option(String key, Object value) {
      options.put(key, value);
      return this;
    }

    void verifies(String... warnings) {
      add(null, List.of(warnings), "NITRO_ENCLAVE");
    }

    void verifiesAs(String kind, String... warnings) {
      add(null, List.of(warnings), kind);
    }

    void fails(String checkId) {
      add(checkId, List.of(), null);
    }

    private void add(String failedCheck, List<String> warnings, String kind) {
      if (out.stream().anyMatch(s -> s.name().equals(name))) {
        throw new IllegalStateException("duplicate scenario name " + name);
      }
      out.add(
          new Scenario(
              name,
              description,
              document,
              chain.rootPem(),
              verifyAt,
              failedCheck,
              warnings,
              kind,
              options));
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
