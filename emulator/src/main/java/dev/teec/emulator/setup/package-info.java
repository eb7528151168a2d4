/**
 * {@code teec emulator setup}: QEMU with the nitro-enclave machine, the vsock backend, the guest
 * kernel and busybox, made once from Debian's archive by the recipe's {@code emulator/setup.sh}
 * ({@link dev.teec.emulator.setup.EmulatorSetup}), and what it made ({@link
 * dev.teec.emulator.setup.Installation}).
 */
package dev.teec.emulator.setup;
