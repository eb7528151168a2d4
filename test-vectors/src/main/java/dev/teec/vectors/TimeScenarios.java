package dev.teec.vectors;

import java.time.Duration;

/** Valid documents judged at a time their age or future skew rules out. */
final class TimeScenarios extends ScenarioGroup {
  TimeScenarios(Shared shared) {
    super(shared);
  }

  @Override
  void add() {
    scenario(
            "document-too-old",
            "A valid document judged an hour after its timestamp with a maximum age of five"
                + " minutes (the verifier clock's now is verifyAt).",
            sign(spec()))
        .verifyAt(base.plus(Duration.ofHours(1)))
        .option("maxAge", "PT5M")
        .fails("time.max_age");
    scenario(
            "document-from-future",
            "A valid document judged ten minutes before its timestamp with a future skew"
                + " bound of one minute (the verifier clock's now is verifyAt).",
            sign(spec()))
        .verifyAt(base.minus(Duration.ofMinutes(10)))
        .option("maxFutureSkew", "PT1M")
        .fails("time.future_skew");
  }
}
