#!/usr/bin/env python3
"""Writes seed inputs for every fuzz target into fuzz/corpus/<target>/ (git-ignored).

The seeds are read in place from the shared vectors, ../shared/vectors beside the project
(or $HEALTHPROOF_SHARED/vectors), and are never committed; the record targets are seeded from
the project's own tests/vectors/records. Each seed is named after the
SHA-1 of its content, as libFuzzer names corpus files, so running this twice is harmless.

    python3 fuzz/seed.py
"""

import base64
import hashlib
import json
import os
import re
import struct
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("HEALTHPROOF_SHARED", FUZZ.parent.parent / "shared"))
VECTORS = SHARED / "vectors"
RECORDS = FUZZ.parent / "tests" / "vectors" / "records"
TARGETS = ["note", "vkey", "checkpoint", "tlog_proof", "policy", "base64", "merkle",
           "json", "sd_jwt", "presentation", "trust_list", "status_list"]


def strings(value):
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def load(relative):
    return json.loads((VECTORS / relative).read_text(encoding="utf-8"))


def collect():
    seeds = {t: set() for t in TARGETS}
    note_docs = [load(p.relative_to(VECTORS)) for p in sorted((VECTORS / "notes").glob("*/*.json"))]
    all_strings = [s for doc in note_docs for s in strings(doc)]

    # Signed notes: any string with a signature line; note_hex holds the non-UTF-8 ones.
    notes = {s for s in all_strings if "\n\n\u2014 " in s or s.endswith("\n\n")}
    for doc in note_docs:
        for case in doc.get("open", []):
            if case.get("note_hex"):
                seeds["note"].add(bytes.fromhex(case["note_hex"]))
    mangled = {s for doc in note_docs for s in doc.get("mangled_vkeys_all_invalid", [])}
    keys = {s for s in all_strings if re.fullmatch(r"[^+\s]+\+[0-9a-f]{8}\+\S+", s)}
    keys -= {s for s in keys if s.startswith("PRIVATE+KEY+")} | mangled
    vkeys = keys | mangled
    bodies = {s for s in all_strings if re.match(r"[^\n]+\n\d+\n", s)}
    bodies |= {n[: n.rfind("\n\n") + 1] for n in notes}

    encoded = lambda s: s.encode("utf-8")
    seeds["note"] |= set(map(encoded, notes))
    seeds["vkey"] |= set(map(encoded, vkeys))
    seeds["checkpoint"] |= set(map(encoded, bodies))

    # Policies built from the vkeys, and the checkpoint notes the fixed policy verifies.
    material = lambda k: k.split("+", 2)[2]
    ed25519 = sorted(k for k in keys if len(material(k)) == 44 and material(k).startswith("A"))
    for key in ed25519:
        seeds["policy"].add(f"log {key}\nquorum none\n".encode())
    if len(ed25519) >= 3:
        a, b, c = ed25519[:3]
        text = f"# seed\nlog {a}\nwitness a {b}\nwitness b\t{c} https://w.example\n"
        text += "group g any a b\ngroup h 2 g a\nquorum h\n"
        seeds["policy"].add(text.encode())
    seeds["policy"] |= {n.encode() for n in notes}

    # tlog-proofs: every note as the checkpoint, with and without extra data and hashes.
    wc = load("notes/transparency-dev-checkpoints/witness_consistency.json")
    hashes = [base64.b64encode(bytes.fromhex(h)).decode() for h in wc["consistency_proof_5_to_8"]]
    for note in notes:
        for index, count in [(0, 0), (2, 3), (7, 3), (4, 4)]:
            body = "".join(h + "\n" for h in hashes[:count])
            seeds["tlog_proof"].add(f"c2sp.org/tlog-proof@v1\nindex {index}\n{body}\n{note}".encode())
        seeds["tlog_proof"].add(f"c2sp.org/tlog-proof@v1\nextra ZW50cnk=\nindex 5\n{hashes[0]}\n\n{note}".encode())

    # base64: every token that decodes, in both alphabets.
    for s in all_strings:
        for token in re.split(r"[\s+]", s):
            if len(token) >= 4 and re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", token):
                seeds["base64"].add(token.encode())
                seeds["base64"].add(token.rstrip("=").replace("+", "-").replace("/", "_").encode())

    # merkle: leaf_index, tree_size (u64 BE), n, n proof hashes, leaf hash or root1, root.
    def merkle(a, b, proof, first, second):
        proof = [bytes.fromhex(h) for h in proof or []]
        if len(proof) > 255 or any(len(h) != 32 for h in proof):
            return
        head = struct.pack(">QQB", a, b, len(proof))
        seeds["merkle"].add(head + b"".join(proof) + bytes.fromhex(first) + bytes.fromhex(second))

    for case in load("merkle/transparency-dev/inclusion.json")["tests"]:
        merkle(case["leaf_index"], case["tree_size"], case["proof"], case["leaf_hash"], case["root"])
    for case in load("merkle/transparency-dev/consistency.json")["tests"]:
        merkle(case["size1"], case["size2"], case["proof"], case["root1"], case["root2"])
    derived = load("merkle/rfc6962-reference-tree/derived_proofs.json")
    for case in derived["inclusion"]:
        merkle(case["leaf_index"], case["tree_size"], case["proof"], case["leaf_hash"], case["root"])
    for case in derived["consistency"]:
        merkle(case["size1"], case["size2"], case["proof"], case["root1"], case["root2"])

    records(seeds)
    own_tlog(seeds)
    return seeds


def own_tlog(seeds):
    """Seeds signed under the keys the note, policy and tlog_proof targets trust: the
    project's own tests/vectors/tlog corpus (proofs, their checkpoints, the policy)."""
    tlog = FUZZ.parent / "tests" / "vectors" / "tlog"
    seeds["policy"].add((tlog / "policy.txt").read_bytes())
    for path in sorted((tlog / "cases").glob("*.json")):
        proof = json.loads(path.read_text())["proof"].encode()
        seeds["tlog_proof"].add(proof)
        checkpoint = proof.split(b"\n\n", 1)[-1]
        seeds["note"].add(checkpoint)
        seeds["policy"].add(checkpoint)


def b64url(text):
    """base64url without padding, or None."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        return None


def records(seeds):
    """Seeds for the record targets, from tests/vectors/records (cases, demo, trust list)."""
    cases = sorted((RECORDS / "cases").glob("*.json"))
    presentations = [p.read_bytes() for p in sorted((RECORDS / "demo").glob("*.hproof"))]
    seeds["trust_list"].add((RECORDS / "trust-list.txt").read_bytes())
    for path in cases:
        case = json.loads(path.read_text(encoding="utf-8"))
        # The case file itself is JSON too (up to 20 kB), as are its parts below.
        seeds["json"].add(path.read_bytes())
        if "presentation" in case:
            presentations.append(case["presentation"].encode())
        if "presentation_base64" in case:
            presentations.append(base64.b64decode(case["presentation_base64"]))
        # presentation_repeat (10 MiB of one byte) is left out: beyond any useful max_len.
        if "trust_list" in case:
            seeds["trust_list"].add(case["trust_list"].encode())
        for token in case.get("options", {}).get("status_lists", []):
            seeds["status_list"].add(token.encode())
            seeds["json"] |= {b for b in map(b64url, token.split(".")[:2]) if b}

    for data in presentations:
        seeds["presentation"].add(data)
        # Line 2 is the SD-JWT, the rest the tlog-proof (what Presentation::parse splits).
        lines = data.strip(b" \t\n\r").split(b"\n", 2)
        if len(lines) < 2:
            continue
        seeds["sd_jwt"].add(lines[1])
        if len(lines) == 3:
            seeds["tlog_proof"].add(lines[2] + b"\n")
        parts = lines[1].split(b"~")
        # The JWT's header and payload, and every disclosure, decoded.
        for part in parts[0].split(b".")[:2] + parts[1:]:
            try:
                decoded = b64url(part.decode("ascii"))
            except UnicodeDecodeError:
                continue
            if decoded:
                seeds["json"].add(decoded)


def main():
    if not VECTORS.is_dir():
        sys.exit(f"seed.py: {VECTORS} not found; set HEALTHPROOF_SHARED to the shared folder")
    for target, inputs in collect().items():
        out = FUZZ / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(inputs)} seeds in {out.relative_to(FUZZ.parent)}")


if __name__ == "__main__":
    main()
