/**
 * Comparing an artifact of an original build with the same artifact of a rebuild: digests, and for
 * a mismatch a first-difference summary (sizes, first differing byte, and for zip/jar and tar
 * archives the entries that differ). Used by {@code teec challenge reproduce} (SPEC C4).
 */
package dev.teec.cli.challenge.compare;
