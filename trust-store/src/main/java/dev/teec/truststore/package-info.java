/**
 * The signed registry of trusted enclave images and its tooling. Filled by the trust-store issue;
 * the module exists so the layout is complete.
 */
package dev.teec.truststore;
