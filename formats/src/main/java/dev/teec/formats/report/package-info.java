/**
 * The build report (spec W3: an in-toto Statement with an SLSA Provenance v1 predicate, serialised
 * as RFC 8785 canonical JSON by {@link dev.teec.formats.report.Jcs}), its strict parser ({@link
 * dev.teec.formats.report.ProvenanceReport#parse}), and the DSSE envelope (spec W5) with the ECDSA
 * keys and signatures it carries.
 */
package dev.teec.formats.report;
