/**
 * Which files of a project are sent to the enclave: the tracked files at HEAD of a git work tree,
 * or every file of a plain directory minus an ignore list; packed as a deterministic archive.
 */
package dev.teec.builder.source;
