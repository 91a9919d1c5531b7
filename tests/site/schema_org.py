"""Checks JSON-LD against schema.org's own vocabulary (release file in shared/standards/schemaorg):
every @type is a class, every property exists and is not superseded, its domain includes the
node's type (through subclasses), and each value fits the property's range: a node of a range
class, a member of a range enumeration, or a literal of a range data type in its ISO form."""

from __future__ import annotations

import functools
import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from tests.conftest import STANDARDS

VOCABULARY = STANDARDS / "schemaorg" / "schemaorg-current-https.jsonld"
PREFIX = "https://schema.org/"


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items if item["@id"].startswith("schema:")]


class SchemaOrg:
    def __init__(self, path: Path = VOCABULARY):
        graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
        self.parents: dict[str, list[str]] = {}
        self.properties: dict[str, dict[str, list[str]]] = {}
        self.members: dict[str, list[str]] = {}  # enumeration member -> its types
        for node in graph:
            name = node["@id"].removeprefix("schema:")
            types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "rdfs:Class" in types:
                self.parents[name] = _ids(node.get("rdfs:subClassOf"))
            elif "rdf:Property" in types:
                self.properties[name] = {
                    "domain": _ids(node.get("schema:domainIncludes")),
                    "range": _ids(node.get("schema:rangeIncludes")),
                    "superseded": _ids(node.get("schema:supersededBy")),
                }
            else:
                self.members[name] = [t.removeprefix("schema:") for t in types if t.startswith("schema:")]

    @functools.cache  # noqa: B019 (one instance per test session)
    def ancestors(self, name: str) -> frozenset[str]:
        found = {name}
        for parent in self.parents.get(name, []):
            found |= self.ancestors(parent)
        return frozenset(found)

    def problems(self, node: Any, where: str = "$") -> list[str]:
        """Everything in `node` (a JSON-LD object) that schema.org's vocabulary does not allow."""
        if isinstance(node, list):
            return [p for i, item in enumerate(node) for p in self.problems(item, f"{where}[{i}]")]
        if not isinstance(node, dict):
            return []
        kind = node.get("@type")
        if kind not in self.parents:
            return [f"{where}: @type {kind!r} is not a schema.org class"]
        found = []
        for key, value in node.items():
            if key.startswith("@"):
                continue
            spec = self.properties.get(key)
            if spec is None:
                found.append(f"{where}.{key}: no such schema.org property")
                continue
            if spec["superseded"]:
                found.append(f"{where}.{key}: superseded by {spec['superseded']}")
            if not self.ancestors(kind) & set(spec["domain"]):
                found.append(f"{where}.{key}: not a property of {kind} (domain {spec['domain']})")
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                found += self._value_problems(item, spec["range"], f"{where}.{key}[{i}]")
        return found

    def _value_problems(self, value: Any, ranges: list[str], where: str) -> list[str]:
        allowed = set(ranges)
        if isinstance(value, dict):
            if not self.ancestors(value.get("@type", "")) & allowed:
                return [f"{where}: a {value.get('@type')} where {ranges} is expected"]
            return self.problems(value, where)
        if isinstance(value, str) and value.startswith(PREFIX) and value[len(PREFIX) :] in self.members:
            types = {a for t in self.members[value[len(PREFIX) :]] for a in self.ancestors(t)}
            return [] if types & allowed or "URL" in allowed else [f"{where}: {value} is not one of {ranges}"]
        if isinstance(value, bool):
            return [] if "Boolean" in allowed else [f"{where}: a boolean where {ranges} is expected"]
        if isinstance(value, int | float):
            numbers = {"Number", "Integer", "Float"}
            return [] if numbers & allowed else [f"{where}: a number where {ranges} is expected"]
        if isinstance(value, str):
            if {"Text", "URL"} & allowed or any("Text" in self.ancestors(r) for r in allowed):
                return []
            for kind, parse in (("DateTime", datetime.fromisoformat), ("Date", date.fromisoformat),
                                ("Time", time.fromisoformat)):  # fmt: skip
                if kind in allowed:
                    try:
                        parse(value)
                        return []
                    except ValueError:
                        continue
            return [f"{where}: {value!r} does not fit {ranges}"]
        return [f"{where}: {value!r} does not fit {ranges}"]
