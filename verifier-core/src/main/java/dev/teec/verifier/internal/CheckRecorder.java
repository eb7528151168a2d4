package dev.teec.verifier.internal;

import dev.teec.verifier.Check;
import dev.teec.verifier.CheckId;
import dev.teec.verifier.CheckStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the outcome of each check during one verification. Not thread-safe: one recorder per
 * verification. {@link #result()} lists every {@link CheckId} exactly once, in declaration order,
 * marking the ones never reached as skipped with the reason.
 */
public final class CheckRecorder {
  private final Map<CheckId, Check> checks = new EnumMap<>(CheckId.class);
  private CheckId firstFailure;

  public void pass(CheckId id, String detail) {
    put(new Check(id, CheckStatus.PASS, detail, null, null));
  }

  public void pass(CheckId id, String detail, String expected, String actual) {
    put(new Check(id, CheckStatus.PASS, detail, expected, actual));
  }

  public void fail(CheckId id, String detail) {
    put(new Check(id, CheckStatus.FAIL, detail, null, null));
  }

  public void fail(CheckId id, String detail, String expected, String actual) {
    put(new Check(id, CheckStatus.FAIL, detail, expected, actual));
  }

  public void warn(CheckId id, String detail) {
    put(new Check(id, CheckStatus.WARN, detail, null, null));
  }

  public void skip(CheckId id, String reason) {
    put(new Check(id, CheckStatus.SKIP, reason, null, null));
  }

  /** Records a pass when {@code ok}, otherwise a failure with {@code failure}. */
  public boolean require(CheckId id, boolean ok, String passDetail, String failure) {
    if (ok) {
      pass(id, passDetail);
    } else {
      fail(id, failure);
    }
    return ok;
  }

  public boolean has(CheckId id) {
    return checks.containsKey(id);
  }

  public boolean failed(CheckId id) {
    Check c = checks.get(id);
    return c != null && c.status() == CheckStatus.FAIL;
  }

  /** True when any check recorded so far failed. */
  public boolean anyFailed() {
    return firstFailure != null;
  }

  /** Every check id once, in order; unreached checks are skipped with the first failure named. */
  public List<Check> result() {
    List<Check> out = new ArrayList<>();
    for (CheckId id : CheckId.values()) {
      Check c = checks.get(id);
      if (c == null) {
        String why =
            firstFailure == null
                ? "not reached"
                : "not reached: an earlier check (" + firstFailure.id() + ") failed";
        c = new Check(id, CheckStatus.SKIP, why, null, null);
      }
      out.add(c);
    }
    return out;
  }

  private void put(Check check) {
    if (checks.putIfAbsent(check.id(), check) != null) {
      throw new IllegalStateException("check recorded twice: " + check.id());
    }
    if (check.status() == CheckStatus.FAIL && firstFailure == null) {
      firstFailure = check.id();
    }
  }
}
