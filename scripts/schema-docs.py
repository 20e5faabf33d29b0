#!/usr/bin/env python3
"""Writes docs/output-fields.md, the reference of the JSON and CSV outputs, from docs/schema.json.

usage: schema-docs.py SCHEMA            print the page
       schema-docs.py SCHEMA --check MD exit 1 when MD is not what the schema gives
"""
import json
import sys

# The objects in the order a reader meets them, with the heading of each.
SECTIONS = [
    ("document", "The document (`--format json`)"),
    ("event", "The events (`--format jsonl`, one per line)"),
    ("capture_info", "The capture (`capture` in the document, the `capture` event)"),
    ("conversation", "A connection (`conversations[]`, the `conversation` event)"),
    ("direction", "One direction's numbers (`client_to_server`, `server_to_client`)"),
    ("stream_totals", "A rebuilt stream's totals (`stream.client`, `stream.server`, with `--reassemble`)"),
    ("segment", "A segment (`segments[]`, the `segment` event)"),
    ("segment_stream", "A segment's part in its stream (`stream`, with `--reassemble`)"),
    ("option", "A TCP option (`options[]`)"),
    ("annotation", "A finding (`annotations[]`)"),
    ("content_hint", "What a direction's first bytes are (`content`)"),
    ("malformed_frame", "A frame that is not a decodable TCP segment (`malformed_frames[]`)"),
    ("capture_summary", "The capture's totals (`summary`, the `capture_end` event)"),
]


def type_text(v):
    if "const" in v:
        return f"`{json.dumps(v['const'])}`"
    if "enum" in v:
        return " \\| ".join(f"`{json.dumps(e)}`" for e in v["enum"])
    if "$ref" in v:
        return v["$ref"].rsplit("/", 1)[1]
    t = v.get("type", "")
    return " or ".join(t) if isinstance(t, list) else t


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def rows(props, prefix=""):
    """One row per property, nested objects' properties after their parent as parent.child."""
    for name, v in props.items():
        yield prefix + name, type_text(v), v.get("description", "")
        inner = v.get("items", v) if v.get("type") == "array" else v
        if isinstance(inner, dict) and "properties" in inner:
            yield from rows(inner["properties"], prefix + name + ("[]." if inner is not v else "."))
        extra = v.get("additionalProperties")
        if isinstance(extra, dict) and "properties" in extra:
            yield from rows(extra["properties"], prefix + name + ".CODE.")


def event_rows(event):
    for variant in event["oneOf"]:
        kind = variant["properties"]["type"]["const"]
        for name, t, d in rows(variant["properties"]):
            yield f"{kind}: {name}", t, d


def table(header, body):
    out = [f"| {' | '.join(header)} |", "|" + "---|" * len(header)]
    out += [f"| {' | '.join(cell(c) for c in r)} |" for r in body]
    return "\n".join(out)


def page(schema):
    defs = schema["$defs"]
    out = [
        "# JSON and CSV output fields",
        "",
        "<!-- Generated from docs/schema.json by scripts/schema-docs.py; a test checks they agree. -->",
        "",
        f"Schema `{schema['title']}` ([schema.json](schema.json), JSON Schema 2020-12). {schema['description']}",
        "Every property below is described in the schema itself; the tests fail when one is not.",
        "",
    ]
    for name, heading in SECTIONS:
        d = defs[name]
        out += [f"## {heading}", ""]
        if d.get("description"):
            out += [d["description"], ""]
        body = event_rows(d) if name == "event" else rows(d["properties"])
        out += [table(("key", "type", "meaning"), body), ""]
    csv = defs["csv_row"]
    out += ["## CSV (`--format csv`)", "", csv["description"], ""]
    columns = [(str(i), f"`{n}`", type_text(v), v["description"]) for i, (n, v) in enumerate(csv["properties"].items(), 1)]
    out += [table(("#", "column", "type", "meaning, unit, when empty"), columns), ""]
    return "\n".join(out)


def main():
    schema = json.load(open(sys.argv[1]))
    text = page(schema)
    if len(sys.argv) == 4 and sys.argv[2] == "--check":
        if open(sys.argv[3]).read() != text:
            print(f"{sys.argv[3]} differs from what {sys.argv[1]} gives: run scripts/schema-docs.py "
                  f"{sys.argv[1]} > {sys.argv[3]}")
            return 1
        print(f"{sys.argv[3]} agrees with {sys.argv[1]}")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
