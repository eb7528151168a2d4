package dev.teec.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRecipeTest {
  @TempDir Path temp;

  @Test
  void digest_ofEachProduct_changesOnlyWithItsOwnFiles() throws Exception {
    Path images = ImageRecipe.bundled().extract(temp.resolve("a"));
    ImageRecipe before = ImageRecipe.fromDirectory(images);
    Files.writeString(
        images.resolve("emulator/init"), "\n# changed\n", java.nio.file.StandardOpenOption.APPEND);
    ImageRecipe afterInit = ImageRecipe.fromDirectory(images);
    assertThat(afterInit.digest(ImageRecipe.SETUP))
        .as("the init is no input of the setup")
        .isEqualTo(before.digest(ImageRecipe.SETUP));
    assertThat(afterInit.digest(ImageRecipe.ROOTFS)).isEqualTo(before.digest(ImageRecipe.ROOTFS));
    assertThat(afterInit.digest(ImageRecipe.IMAGE)).isNotEqualTo(before.digest(ImageRecipe.IMAGE));

    Files.writeString(
        images.resolve("pins.env"), "\n# changed\n", java.nio.file.StandardOpenOption.APPEND);
    ImageRecipe afterPins = ImageRecipe.fromDirectory(images);
    assertThat(afterPins.digest(ImageRecipe.SETUP))
        .isNotEqualTo(afterInit.digest(ImageRecipe.SETUP));
    assertThat(afterPins.digest(ImageRecipe.ROOTFS))
        .isNotEqualTo(afterInit.digest(ImageRecipe.ROOTFS));
  }

  @Test
  void bundled_isTheCheckoutsEnclaveImages() throws Exception {
    Path checkout = Path.of("../enclave/images");
    assertThat(ImageRecipe.bundled().digest(ImageRecipe.SETUP))
        .isEqualTo(ImageRecipe.fromDirectory(checkout).digest(ImageRecipe.SETUP));
    assertThat(ImageRecipe.bundled().digest(ImageRecipe.IMAGE))
        .isEqualTo(ImageRecipe.fromDirectory(checkout).digest(ImageRecipe.IMAGE));
  }

  @Test
  void extract_scriptsExecutable_pinsNot() throws Exception {
    Path dir = ImageRecipe.bundled().extract(temp.resolve("x"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("emulator/setup.sh")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("emulator/init")))
        .contains(PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(dir.resolve("pins.env")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
  }
}
