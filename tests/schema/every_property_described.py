#!/usr/bin/env python3
"""Fails when a property of docs/schema.json has no description (its meaning, unit, whose
direction, when absent or null): the schema is the output's reference.

usage: every_property_described.py SCHEMA
"""
import json
import sys


def undescribed(node, path):
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, body in props.items():
                if not (isinstance(body, dict) and str(body.get("description", "")).strip()):
                    yield "/".join(path + ["properties", name])
        for key, child in node.items():
            yield from undescribed(child, path + [key])
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from undescribed(child, path + [str(i)])


def main():
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    missing = list(undescribed(schema, ["#"]))
    for m in missing:
        print(f"FAIL no description: {m}")
    if missing:
        return 1
    print(f"every property of {sys.argv[1]} has a description")
    return 0


if __name__ == "__main__":
    sys.exit(main())
