"""The editors' guide (docs/redaktoer.md) says the same numbers as the code: a limit changed in the
model, the service or the workflow fails here until the guide says it too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aktivsammen.freshness import STALE_AFTER_DAYS
from aktivsammen.model import Activity
from aktivsammen.readability import DEFAULT_MAX_LIX, SUMMARY_FOR_LISTS
from aktivsammen.submit.flow import STEPS
from aktivsammen.submit.outbox import KEEP_UNDELIVERED_SECONDS
from aktivsammen.submit.reminders import EVERY_DAYS, LINK_DAYS
from aktivsammen.submit.settings import Settings
from plugins.events import DEFAULTS as EVENTS_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "redaktoer.md").read_text(encoding="utf-8")
DANISH_NUMBERS = {"fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9}


def limit(field: str, kind: str) -> int:
    """A constraint of an activity field from the model's JSON Schema (maxLength, maxItems …)."""
    node = Activity.model_json_schema()["properties"][field]
    node = next((option for option in node.get("anyOf", [node]) if kind in option), node)
    return node[kind]


def nightly() -> str:
    """The nightly rebuild's time of day (UTC) from the workflow, as the guide writes it ("3.30")."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    minute, hour, *_ = workflow[True]["schedule"][0]["cron"].split()  # YAML reads "on:" as True
    return f"{int(hour)}.{int(minute):02d}"


CLAIMS = [
    # (what the guide says, with the number as a group; the number in the code)
    (r"`title`: navnet \(højst (\d+) tegn\)", lambda: limit("title", "maxLength")),
    (r"`summary`: .*?\(højst (\d+) tegn\)", lambda: limit("summary", "maxLength")),
    (r"Hold den gerne under (\d+) tegn", lambda: SUMMARY_FOR_LISTS),
    (r"`categories`: 1-(\d+) emner", lambda: limit("categories", "maxItems")),
    (r"`categories`: (\d+)-\d+ emner", lambda: limit("categories", "minItems")),
    (r"LIX over (\d+)", lambda: DEFAULT_MAX_LIX),
    (r"ved et resumé over (\d+) tegn", lambda: SUMMARY_FOR_LISTS),
    (r"bekræftet i over (\d+) dage", lambda: STALE_AFTER_DAYS),
    (r"Linket virker i (\d+) dage", lambda: LINK_DAYS),
    (r"højst spurgt én gang på\s+(\d+) dage", lambda: EVERY_DAYS),
    (r"ikke afleveret efter (\d+) dage, slettes det ulæst", lambda: KEEP_UNDELIVERED_SECONDS // 86400),
    (r"ser efter hvert (\d+)\. minut", lambda: int(Settings().decision_check_seconds // 60)),
    (r"de næste (\d+) dages", lambda: EVENTS_SETTINGS["EVENTS_DAYS"]),
    (r"om én ting ad gangen i (\w+) trin", lambda: len(STEPS)),
    (r"hver nat kl\. (\d+\.\d+) \(UTC\)", nightly),
]


@pytest.mark.parametrize(("claim", "actual"), CLAIMS, ids=[claim for claim, _ in CLAIMS])
def test_the_guide_says_what_the_code_does(claim, actual):
    found = re.findall(claim, GUIDE, re.S)
    assert found, f"the guide no longer says {claim!r}: update the claim here or the guide"
    said = {str(DANISH_NUMBERS.get(item, item)) for item in found}
    expected = str(actual())
    assert said == {expected}, f"docs/redaktoer.md says {sorted(said)} where the code has {expected}"


def test_every_state_of_the_queue_is_explained():
    from aktivsammen.submit.store import State

    table = GUIDE.split("## 6. Køen")[1].split("\n## ")[0]
    for state in State:
        assert f"| `{state.value}` |" in table, f"the queue's state {state.value!r} is not in the guide"


def test_every_command_the_guide_names_exists():
    from aktivsammen.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for command, options in re.findall(r"aktivsammen (\w+)((?: --[\w-]+)*)", GUIDE):
        assert command in commands, f"the guide names 'aktivsammen {command}', which does not exist"
        known = {flag for action in commands[command]._actions for flag in action.option_strings}
        for option in options.split():
            assert option in known, f"'aktivsammen {command} {option}' is in the guide but not a choice"
