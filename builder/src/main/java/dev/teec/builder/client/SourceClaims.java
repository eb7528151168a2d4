package dev.teec.builder.client;

import dev.teec.builder.source.CommitObjects;
import dev.teec.builder.source.GitState;
import dev.teec.builder.source.PackedSource;
import dev.teec.enclave.protocol.ByteString;
import dev.teec.enclave.protocol.SourceMetadata;
import dev.teec.formats.report.SourceInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a build tells the worker about its source (SPEC B2), and the tree objects behind it. */
public final class SourceClaims {
  private SourceClaims() {}

  /**
   * The claim {@code teec build} makes for {@code source}: a clean git tree claims its commit and
   * directory with the commit object and announces its tree objects; a dirty one claims its base
   * commit as dirty, without objects; a plain directory claims nothing.
   */
  public static SourceMetadata of(PackedSource source) {
    Optional<GitState> git = source.selection().git();
    if (git.isEmpty()) {
      return SourceMetadata.UNKNOWN;
    }
    GitState g = git.get();
    Optional<CommitObjects> objects = g.objects();
    return new SourceMetadata(
        g.remoteUri().orElse(null),
        g.commit(),
        g.tree(),
        g.path().isEmpty() ? null : g.path(),
        g.dirty(),
        g.commitTime().getEpochSecond(),
        objects.map(o -> ByteString.of(o.commitObject())).orElse(null),
        objects.map(o -> o.treeObjects().size()).orElse(0));
  }

  /**
   * The tree objects to send after a request with {@code metadata}: none without a commit object,
   * else those of {@code source}, which must have been packed from that very commit.
   *
   * @throws IllegalArgumentException if {@code metadata} carries a commit object that is not the
   *     packed source's
   */
  public static List<ByteString> treeObjects(SourceMetadata metadata, PackedSource source) {
    if (metadata.commitObject() == null) {
      return List.of();
    }
    CommitObjects objects = source.selection().git().flatMap(GitState::objects).orElse(null);
    if (objects == null
        || !Arrays.equals(objects.commitObject(), metadata.commitObject().toArray())
        || objects.treeObjects().size() != metadata.treeObjects()) {
      throw new IllegalArgumentException(
          "the source metadata's commit object is not the one the source was packed from");
    }
    return objects.treeObjects().stream().map(ByteString::of).toList();
  }

  /**
   * What a rebuild of a recorded source tells the worker: the original's claim again. A dirty claim
   * is repeated as recorded. A clean commit claim must carry the commit's objects, which only a
   * clean checkout of that commit and directory has; from anything else the rebuild claims no
   * commit, only the URI and the commit time.
   *
   * @param original the source the original report records
   * @param commitTime the original build's SOURCE_DATE_EPOCH, or null
   * @param packed the rebuild's packed source
   */
  public static SourceMetadata forRebuild(
      SourceInfo original, Long commitTime, PackedSource packed) {
    if (original.commit() == null) {
      return new SourceMetadata(original.uri(), null, null, false, commitTime);
    }
    if (Boolean.TRUE.equals(original.dirty())) {
      return new SourceMetadata(
          original.uri(),
          original.commit(),
          original.tree(),
          original.path(),
          true,
          commitTime,
          null,
          0);
    }
    SourceMetadata packedClaim = of(packed);
    if (original.commit().equals(packedClaim.commit())
        && packedClaim.commitObject() != null
        && Objects.equals(original.path(), packedClaim.path())) {
      return new SourceMetadata(
          original.uri(),
          packedClaim.commit(),
          packedClaim.tree(),
          packedClaim.path(),
          false,
          commitTime,
          packedClaim.commitObject(),
          packedClaim.treeObjects());
    }
    return new SourceMetadata(original.uri(), null, null, false, commitTime);
  }
}
