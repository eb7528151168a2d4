package dev.teec.vectors;

import java.time.Instant;
import java.util.List;

/**
 * The catalogue of named scenarios: valid documents in every shape real ones take, and one document
 * per rule a verifier must enforce, each broken in exactly that rule (so the expected failure is
 * the first the verifier reports). Everything derives from a seed and a base instant.
 */
public final class Scenarios {
  /** The seed of the committed vectors. */
  public static final String DEFAULT_SEED = "teec-test-vectors-v1";

  /** The base instant of the committed vectors: when their chains are valid and documents made. */
  public static final Instant DEFAULT_BASE = Instant.parse("2025-06-01T12:00:00.417Z");

  private Scenarios() {}

  /** Every scenario for this seed and base instant, in catalogue order; names are unique. */
  public static List<Scenario> all(String seed, Instant base) {
    ScenarioGroup.Shared shared = ScenarioGroup.Shared.derive(seed, base);
    List<ScenarioGroup> groups =
        List.of(
            new ValidScenarios(shared),
            new EnvelopeScenarios(shared),
            new PayloadScenarios(shared),
            new ChainScenarios(shared),
            new TimeScenarios(shared),
            new SignatureScenarios(shared),
            new PolicyScenarios(shared));
    groups.forEach(ScenarioGroup::add);
    return List.copyOf(shared.out());
  }
}
