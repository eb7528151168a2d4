package dev.teec.truststore.registry;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The registry payload: the images the maintainers vouch for, the version that only ever grows, and
 * the window in which this version may be used.
 *
 * @param version monotonic version, at least 1; verifiers can refuse versions below one they saw
 * @param issuedAt when this version was issued
 * @param expiresAt from this instant on the registry is rejected
 * @param images the images, each id at most once
 * @param extraRoots additional roots honoured only on request, each id at most once
 */
public record Registry(
    long version,
    Instant issuedAt,
    Instant expiresAt,
    List<ImageEntry> images,
    List<ExtraRoot> extraRoots) {
  public Registry {
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    images = List.copyOf(images);
    extraRoots = List.copyOf(extraRoots);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
    Set<String> ids = new HashSet<>();
    for (ImageEntry image : images) {
      if (!ids.add(image.id())) {
        throw new IllegalArgumentException("duplicate image id '" + image.id() + "'");
      }
    }
    Set<String> rootIds = new HashSet<>();
    for (ExtraRoot root : extraRoots) {
      if (!rootIds.add(root.id())) {
        throw new IllegalArgumentException("duplicate extra root id '" + root.id() + "'");
      }
    }
  }

  /** The image with this id. */
  public Optional<ImageEntry> image(String id) {
    return images.stream().filter(i -> i.id().equals(id)).findFirst();
  }

  /** The extra root with this id. */
  public Optional<ExtraRoot> extraRoot(String id) {
    return extraRoots.stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
