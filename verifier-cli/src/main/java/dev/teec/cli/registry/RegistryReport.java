package dev.teec.cli.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teec.truststore.registry.RegistryCheck;
import java.util.List;
import java.util.Optional;

/**
 * What the registry says about one document: the registry checks and {@code image.match}, in order,
 * and the matched image as JSON (the registry format's image object) when one matched.
 */
public final class RegistryReport {
  private final List<RegistryCheck> checks;
  private final ObjectNode image;

  RegistryReport(List<RegistryCheck> checks, ObjectNode image) {
    this.checks = List.copyOf(checks);
    this.image = image;
  }

  /** Every check, in order: registry.format, .signature, .validity, .version, image.match. */
  public List<RegistryCheck> checks() {
    return checks;
  }

  /** True when any check failed; the document is then rejected. */
  public boolean failed() {
    return checks.stream().anyMatch(RegistryCheck::failed);
  }

  /** The ids of the failed checks. */
  public List<String> failures() {
    return checks.stream().filter(RegistryCheck::failed).map(RegistryCheck::id).toList();
  }

  /** The matched image, present exactly when image.match passed. */
  public Optional<ObjectNode> image() {
    return Optional.ofNullable(image == null ? null : image.deepCopy());
  }
}
