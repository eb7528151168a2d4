package dev.teec.enclave.runner;

import dev.teec.formats.buildspec.BuildSpec;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One build for {@link BuildRunner#run}.
 *
 * @param spec the validated build.json
 * @param sourceDate time of the source commit, when known; becomes SOURCE_DATE_EPOCH (whole
 *     seconds, must not be before 1970), otherwise {@link BuildRunner#DEFAULT_SOURCE_DATE_EPOCH}
 * @param extraEnvironment variables the worker adds, typically the proxy settings (HTTP_PROXY,
 *     HTTPS_PROXY, CA bundle paths); they may not replace the variables the runner fixes ({@link
 *     BuildRunner#FIXED_VARIABLES}) and may not collide with build.json's {@code input.env}
 * @param proxy the recording proxy's listening address; required in {@link
 *     IsolationMode#NETWORK_NAMESPACE}, where it is forwarded to 127.0.0.1 on the same port inside
 *     the namespace, and ignored otherwise
 */
public record RunRequest(
    BuildSpec spec,
    Optional<Instant> sourceDate,
    Map<String, String> extraEnvironment,
    Optional<InetSocketAddress> proxy) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public RunRequest {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(sourceDate, "sourceDate");
    Objects.requireNonNull(extraEnvironment, "extraEnvironment");
    Objects.requireNonNull(proxy, "proxy");
    if (sourceDate.isPresent() && sourceDate.get().isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("sourceDate must not be before 1970: " + sourceDate.get());
    }
    SortedMap<String, String> env = new TreeMap<>();
    Set<String> fixed = BuildRunner.FIXED_VARIABLES;
    for (Map.Entry<String, String> e : extraEnvironment.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "variable name");
      String value = Objects.requireNonNull(e.getValue(), "value of " + name);
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid environment variable name: " + name);
      }
      if (fixed.contains(name)) {
        throw new IllegalArgumentException(name + " is fixed by the runner and cannot be replaced");
      }
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("value of " + name + " contains NUL");
      }
      env.put(name, value);
    }
    extraEnvironment = Collections.unmodifiableSortedMap(env);
  }

  /** A request with no source date, no extra variables and no proxy. */
  public static RunRequest of(BuildSpec spec) {
    return new RunRequest(spec, Optional.empty(), Map.of(), Optional.empty());
  }

  public RunRequest withSourceDate(Instant value) {
    return new RunRequest(spec, Optional.of(value), extraEnvironment, proxy);
  }

  public RunRequest withExtraEnvironment(Map<String, String> value) {
    return new RunRequest(spec, sourceDate, value, proxy);
  }

  public RunRequest withProxy(InetSocketAddress value) {
    return new RunRequest(spec, sourceDate, extraEnvironment, Optional.of(value));
  }
}
