package dev.teec.vectors;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One named test vector: a document, the root to trust, and what a verifier must conclude about it.
 * Written to disk as {@code <name>/document.cbor}, {@code root.pem} and {@code expected.json}.
 *
 * @param name directory name, saying what is broken (or {@code valid-...})
 * @param description one or two sentences: how the document was made and why the outcome follows
 * @param document the document's bytes
 * @param rootPem the certificate to pass as the only trust anchor
 * @param verifyAt the instant T at which to judge certificate validity; also the verifier clock's
 *     now
 * @param failedCheck id of the check that must fail (the first failure reported), or null when the
 *     document must verify
 * @param warnings ids of the checks that must end with status WARN
 * @param documentKind {@code NITRO_ENCLAVE} or {@code NITRO_TPM} for a document that verifies, else
 *     null
 * @param options verification options: {@code policy} (the SPEC.md V7 policy JSON), {@code maxAge}
 *     and {@code maxFutureSkew} (ISO-8601 durations), each present only when needed
 */
public record Scenario(
    String name,
    String description,
    byte[] document,
    String rootPem,
    Instant verifyAt,
    String failedCheck,
    List<String> warnings,
    String documentKind,
    Map<String, Object> options) {

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    document = document.clone();
    Objects.requireNonNull(rootPem, "rootPem");
    Objects.requireNonNull(verifyAt, "verifyAt");
    warnings = List.copyOf(warnings);
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    if ((failedCheck == null) == (documentKind == null)) {
      throw new IllegalArgumentException(
          name + ": exactly one of failedCheck and documentKind must be set");
    }
  }

  /** A copy of the document's bytes. */
  @Override
  public byte[] document() {
    return document.clone();
  }

  /** True when the document must verify. */
  public boolean verified() {
    return failedCheck == null;
  }

  /** The content of expected.json. */
  public String expectedJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("scenario", name);
    json.put("description", description);
    json.put("verifyAt", verifyAt.toString());
    json.put("verified", verified());
    json.put("failedCheck", failedCheck);
    json.put("warnings", warnings);
    json.put("documentKind", documentKind);
    json.put("options", options);
    return Json.write(json);
  }
}
