#!/usr/bin/env python3
"""Copies the committed test-vectors scenarios into the Jazzer seed directories.

Run from anywhere after regenerating test-vectors/vectors:  python3 verifier-core/src/fuzz/sync-seeds.py

  VerifierFuzzTestInputs/verify/<scenario>.cbor  <- test-vectors/vectors/<scenario>/document.cbor
  PolicyFuzzTestInputs/fromJson/<scenario>.json  <- "options.policy" of each expected.json that has one
  simulated-root.pem                             <- the (single, shared) root.pem of the scenarios
  policy-match.json                              <- the policy of valid-policy-match

Only our own generated vectors are copied, never anything from outside the repository.
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parents[2] / "test-vectors" / "vectors"
RES = HERE / "resources" / "dev" / "teec" / "verifier" / "fuzz"
DOC_SEEDS = RES / "VerifierFuzzTestInputs" / "verify"
POLICY_SEEDS = RES / "PolicyFuzzTestInputs" / "fromJson"
# Rejected by size before any parsing: as a seed it only inflates libFuzzer's max_len.
SKIP = {"oversized-document"}


def main():
    scenarios = sorted(p for p in VECTORS.iterdir() if (p / "document.cbor").is_file())
    if not scenarios:
        sys.exit(f"no scenarios under {VECTORS}")
    DOC_SEEDS.mkdir(parents=True, exist_ok=True)
    POLICY_SEEDS.mkdir(parents=True, exist_ok=True)
    for old in DOC_SEEDS.glob("*.cbor"):
        old.unlink()
    for old in POLICY_SEEDS.glob("scenario-*.json"):
        old.unlink()
    roots = set()
    for s in scenarios:
        roots.add((s / "root.pem").read_text())
        expected = json.loads((s / "expected.json").read_text())
        policy = expected.get("options", {}).get("policy")
        if policy is not None:
            (POLICY_SEEDS / f"scenario-{s.name}.json").write_text(json.dumps(policy, separators=(",", ":")))
        if s.name not in SKIP:
            (DOC_SEEDS / f"{s.name}.cbor").write_bytes((s / "document.cbor").read_bytes())
    if len(roots) != 1:
        sys.exit(f"expected one shared root.pem, found {len(roots)}")
    (RES / "simulated-root.pem").write_text(roots.pop())
    match = json.loads((VECTORS / "valid-policy-match" / "expected.json").read_text())
    (RES / "policy-match.json").write_text(json.dumps(match["options"]["policy"], indent=2) + "\n")
    print(f"copied {len(scenarios) - len(SKIP)} document seeds and the policies of {len(scenarios)} scenarios")


if __name__ == "__main__":
    main()
