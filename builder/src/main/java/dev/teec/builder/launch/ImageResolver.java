package dev.teec.builder.launch;

import dev.teec.formats.buildspec.BuildSpec;

/**
 * Chooses the enclave image for a build (its language and toolchain). Implementations: an explicit
 * {@code --eif} file ({@link EifImageResolver}); a signed image registry once it exists.
 */
@FunctionalInterface
public interface ImageResolver {

  /**
   * The image to start for {@code spec}.
   *
   * @throws LaunchException if there is no suitable image, saying why
   */
  ImageChoice resolve(BuildSpec spec) throws LaunchException, InterruptedException;
}
