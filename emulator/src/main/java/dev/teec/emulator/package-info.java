/**
 * teec's enclave images under QEMU's {@code nitro-enclave} machine: where the emulator's files live
 * ({@link dev.teec.emulator.EmulatorHome}), and the recipe they are made from ({@link
 * dev.teec.emulator.ImageRecipe}: the pins and scripts of {@code enclave/images}, bundled).
 */
package dev.teec.emulator;
