#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Build tool: docs/openapi.yaml (the API description, issue 19) as compact JSON, which the
# binary embeds and serves at GET /api/v1/openapi.json. Converting at build time keeps a YAML
# parser out of the server. Usage: openapi-json.py INPUT.yaml OUTPUT.json
import json
import sys

import yaml


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: openapi-json.py INPUT.yaml OUTPUT.json\n")
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or "openapi" not in doc:
        sys.stderr.write("openapi-json.py: %s is not an OpenAPI document\n" % sys.argv[1])
        return 1
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
