/**
 * {@code teec challenge}: commands with which anyone can check a builder's bundle by rebuilding it
 * ({@code reproduce}, SPEC C4) and fetch the recorded network inputs for an offline rebuild
 * ({@code fetch}, SPEC C5).
 */
package dev.teec.cli.challenge;
