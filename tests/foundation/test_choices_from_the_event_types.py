"""The channels, resolutions and outreach kinds offered are the values the event types allow
(``typing.get_args`` of their ``Literal``): the commands take each of them and refuse any
other, and the CLI's help lists the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from events.case import CHANNELS, RESOLUTIONS, CaseOpened
from events.municipality import OUTREACH_KINDS, OutreachRecorded
from tracker.application.commands import Banso
from tracker.domain.errors import InvalidInputError
from tracker.language import say

BANSO = str(Path(sys.executable).with_name("banso"))


def test_the_choices_are_exactly_the_values_the_events_store() -> None:
    stored = CaseOpened.model_json_schema()["properties"]["channel"]["enum"]
    assert list(CHANNELS) == stored
    assert (
        list(OUTREACH_KINDS) == OutreachRecorded.model_json_schema()["properties"]["kind"]["enum"]
    )


def test_the_commands_take_every_value_offered_and_refuse_any_other() -> None:
    app = Banso("memory:", user="試験")
    app.register_municipality("112038", "川口市", prefecture="埼玉県")
    numbers = [app.open_case("112038", topic="B", summary="相談", channel=c)[0] for c in CHANNELS]
    for number, resolution in zip(numbers, RESOLUTIONS, strict=False):
        app.close_case(number, resolution=resolution)
    for kind in OUTREACH_KINDS:
        app.record_outreach("112038", kind)
    with pytest.raises(InvalidInputError):
        app.open_case("112038", topic="B", summary="相談", channel="fax")
    with pytest.raises(InvalidInputError):
        app.close_case(numbers[-1], resolution="done")
    with pytest.raises(InvalidInputError):
        app.record_outreach("112038", "party")


@pytest.mark.parametrize(
    ("command", "option", "values"),
    [
        (("case", "open"), "--channel", CHANNELS),
        (("case", "close"), "--resolution", RESOLUTIONS),
        (("outreach",), "--kind", OUTREACH_KINDS),
    ],
)
def test_the_cli_help_lists_the_same_values(
    command: tuple[str, ...], option: str, values: tuple[str, ...]
) -> None:
    shown = subprocess.run(
        [BANSO, *command, "--help"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(shown.split())  # click wraps the help where it likes
    family = {"--channel": "channel", "--resolution": "resolution", "--kind": "outreach"}[option]
    for value in values:  # each with the Japanese name that may be typed instead
        assert f"{value} {say(f'{family}.{value}', 'ja')}" in text
