package dev.teec.truststore.registry;

import java.util.Objects;

/**
 * Where the recipe that builds an image lives.
 *
 * @param uri the source repository, e.g. {@code https://github.com/org/repo}
 * @param commit the full commit id (40 or 64 lowercase hex digits) the image was built from
 */
public record Recipe(String uri, String commit) {
  public Recipe {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(commit, "commit");
    if (uri.isBlank()) {
      throw new IllegalArgumentException("recipe uri must not be blank");
    }
    if (!commit.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "recipe commit must be 40 or 64 lowercase hex digits, got '" + commit + "'");
    }
  }
}
