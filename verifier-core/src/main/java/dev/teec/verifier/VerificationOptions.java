package dev.teec.verifier;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call settings: when to judge validity, which policy to apply, and optional freshness bounds.
 * The defaults are T = now, {@link Policy#DEFAULT}, and no freshness bounds.
 */
public final class VerificationOptions {
  /** T = now, the default policy, no freshness bounds. */
  public static final VerificationOptions DEFAULT = builder().build();

  private final VerificationTime time;
  private final Policy policy;
  private final Duration maxAge;
  private final Duration maxFutureSkew;

  private VerificationOptions(Builder b) {
    this.time = b.time;
    this.policy = b.policy;
    this.maxAge = b.maxAge;
    this.maxFutureSkew = b.maxFutureSkew;
  }

  public static Builder builder() {
    return new Builder();
  }

  public VerificationTime time() {
    return time;
  }

  public Policy policy() {
    return policy;
  }

  /** The oldest a document may be, measured from the verifier clock's now to its timestamp. */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** How far a document's timestamp may lie ahead of the verifier clock's now. */
  public Optional<Duration> maxFutureSkew() {
    return Optional.ofNullable(maxFutureSkew);
  }

  /** Builder for {@link VerificationOptions}. */
  public static final class Builder {
    private VerificationTime time = VerificationTime.now();
    private Policy policy = Policy.DEFAULT;
    private Duration maxAge;
    private Duration maxFutureSkew;

    private Builder() {}

    public Builder time(VerificationTime time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    public Builder policy(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Rejects documents older than {@code maxAge} relative to the verifier clock.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = nonNegative(maxAge, "maxAge");
      return this;
    }

    /**
     * Rejects documents whose timestamp lies more than {@code skew} ahead of the verifier clock.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxFutureSkew(Duration skew) {
      this.maxFutureSkew = nonNegative(skew, "maxFutureSkew");
      return this;
    }

    public VerificationOptions build() {
      return new VerificationOptions(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + d);
      }
      return d;
    }
  }
}
