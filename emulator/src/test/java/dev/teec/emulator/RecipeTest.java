package dev.teec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeTest {
  @TempDir Path temp;

  @Test
  void digest_ofEachProduct_changesOnlyWithItsOwnFiles() throws Exception {
    Path images = Recipe.bundled().extract(temp.resolve("a"));
    Recipe before = Recipe.fromDirectory(images);
    Files.writeString(
        images.resolve("emulator/init"), "\n# changed\n", java.nio.file.StandardOpenOption.APPEND);
    Recipe afterInit = Recipe.fromDirectory(images);
    assertThat(afterInit.digest(Recipe.SETUP))
        .as("the init is no input of the setup")
        .isEqualTo(before.digest(Recipe.SETUP));
    assertThat(afterInit.digest(Recipe.ROOTFS)).isEqualTo(before.digest(Recipe.ROOTFS));
    assertThat(afterInit.digest(Recipe.IMAGE)).isNotEqualTo(before.digest(Recipe.IMAGE));

    Files.writeString(
        images.resolve("pins.env"), "\n# changed\n", java.nio.file.StandardOpenOption.APPEND);
    Recipe afterPins = Recipe.fromDirectory(images);
    assertThat(afterPins.digest(Recipe.SETUP)).isNotEqualTo(afterInit.digest(Recipe.SETUP));
    assertThat(afterPins.digest(Recipe.ROOTFS)).isNotEqualTo(afterInit.digest(Recipe.ROOTFS));
  }

  @Test
  void bundled_isTheCheckoutsEnclaveImages() throws Exception {
    Path checkout = Path.of("../enclave/images");
    assertThat(Recipe.bundled().digest(Recipe.SETUP))
        .isEqualTo(Recipe.fromDirectory(checkout).digest(Recipe.SETUP));
    assertThat(Recipe.bundled().digest(Recipe.IMAGE))
        .isEqualTo(Recipe.fromDirectory(checkout).digest(Recipe.IMAGE));
  }

  @Test
  void extract_scriptsExecutable_pinsNot() throws Exception {
    Path dir = Recipe.bundled().extract(temp.resolve("x"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("emulator/setup.sh")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("emulator/init")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("pins.env")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
  }
}
