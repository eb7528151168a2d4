package dev.teec.truststore.registry;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a {@link RegistryVerifier} remembers the highest registry version it verified, per pinned
 * key set (spec R3): a registry older than that is a rollback and is refused, as TUF clients refuse
 * metadata older than the last they trusted. A version is recorded only after every other check of
 * the registry passed, so an unsigned or expired registry can never raise it.
 *
 * <p>Implementations must be thread-safe and must never lower a recorded version.
 */
public interface RegistryVersionStore {
  /**
   * The highest version recorded for the key set.
   *
   * @param keySetId the pinned key set ({@link RegistryVerifier#keySetId()})
   * @throws IOException if the store cannot be read; the verifier then rejects the registry
   */
  OptionalLong highest(String keySetId) throws IOException;

  /**
   * Records that {@code version} of the key set's registry verified; keeps the higher of it and the
   * version already recorded.
   *
   * @throws IOException if the store cannot be written; the verifier then rejects the registry
   */
  void record(String keySetId, long version) throws IOException;

  /** A short description for reports, such as the directory a file store keeps its files in. */
  String describe();

  /**
   * A store in this process's memory: the default of {@link RegistryVerifier}. It refuses a
   * rollback to a version older than one the same verifier already verified, and forgets at exit.
   */
  static RegistryVersionStore inMemory() {
    Map<String, Long> versions = new ConcurrentHashMap<>();
    return new RegistryVersionStore() {
      @Override
      public OptionalLong highest(String keySetId) {
        Long v = versions.get(keySetId);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
      }

      @Override
      public void record(String keySetId, long version) {
        versions.merge(keySetId, version, Math::max);
      }

      @Override
      public String describe() {
        return "this process's memory";
      }
    };
  }

  /**
   * A store that remembers nothing: only an explicit {@link RegistryVerifier.Builder#minVersion}
   * then guards against rollback. It widens trust, so it must be chosen explicitly.
   */
  static RegistryVersionStore none() {
    return new RegistryVersionStore() {
      @Override
      public OptionalLong highest(String keySetId) {
        return OptionalLong.empty();
      }

      @Override
      public void record(String keySetId, long version) {}

      @Override
      public String describe() {
        return "no version store";
      }
    };
  }
}
