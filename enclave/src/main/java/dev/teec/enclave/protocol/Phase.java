package dev.teec.enclave.protocol;

/**
 * The worker entered a new stage.
 *
 * @param phase the stage
 */
public record Phase(BuildPhase phase) implements Frame {

  /** Checks the field is present. */
  public Phase {
    FieldCheck.present(phase, "phase.phase");
  }

  @Override
  public FrameType frameType() {
    return FrameType.PHASE;
  }
}
