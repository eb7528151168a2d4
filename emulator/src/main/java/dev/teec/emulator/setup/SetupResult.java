package dev.teec.emulator.setup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code teec emulator setup} did.
 *
 * @param installation the installation, ready to use
 * @param changed whether this run made it (false: it was already there, unchanged)
 * @param took how long the run took
 * @param log the log of the run's scripts, when anything ran
 */
public record SetupResult(
    Installation installation, boolean changed, Duration took, Optional<Path> log) {}
