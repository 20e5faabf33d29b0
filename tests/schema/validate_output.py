#!/usr/bin/env python3
"""Validates real --format json and --format jsonl output against docs/schema.json.

usage: validate_output.py TOOL SCHEMA CAPTURE...   (exit 77 = skipped: no jsonschema module)
"""
import json
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/bootstrap.sh --test installs it)")
    sys.exit(77)


def main():
    tool, schema_path, captures = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(schema_path) as f:
        schema = json.load(f)
    doc_validator = jsonschema.Draft202012Validator(schema)
    event_schema = dict(schema)
    event_schema["$ref"] = "#/$defs/event"
    event_validator = jsonschema.Draft202012Validator(event_schema)
    checked = 0
    for cap in captures:
        for args, lines in ((["--format", "json"], False), (["--format", "jsonl"], True),
                            (["--format", "json", "--summary"], False), (["--format", "json", "-X"], False),
                            (["--format", "json", "--findings-only"], False),
                            (["--format", "jsonl", "--no-findings-tally"], True),
                            (["--format", "json", "--reassemble"], False), (["--format", "jsonl", "--reassemble"], True)):
            out = subprocess.run([tool, cap, *args], capture_output=True, check=True).stdout.decode()
            docs = [json.loads(l) for l in out.splitlines()] if lines else [json.loads(out)]
            for d in docs:
                v = event_validator if lines else doc_validator
                errors = sorted(v.iter_errors(d), key=lambda e: list(e.path))
                if errors:
                    e = errors[0]
                    print(f"FAIL {cap} {' '.join(args)}: {e.message} at {list(e.path)}")
                    return 1
                checked += 1
    print(f"{checked} documents/events valid against {schema_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
