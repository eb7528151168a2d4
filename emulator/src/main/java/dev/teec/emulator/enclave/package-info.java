/**
 * A stand-in for AWS {@code nitro-cli} over QEMU: {@link
 * dev.teec.emulator.enclave.EmulatedEnclaves} starts an EIF under QEMU's nitro-enclave machine with
 * a vhost-device-vsock backend, lists and terminates such enclaves (state under {@code
 * $TEEC_HOME/emulator/run}); {@link dev.teec.emulator.enclave.NitroCliJson} prints what nitro-cli
 * prints.
 */
package dev.teec.emulator.enclave;
