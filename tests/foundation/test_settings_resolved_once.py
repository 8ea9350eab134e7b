"""Settings are resolved in one place (``tracker.desk.settings``): who records, in which
language, on which store. The application records as the user it is given; the CLI and the
TUI speak the language they are given."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tracker.desk.settings import Settings, login_name, wanted_language
from tracker.domain.errors import InvalidInputError

if TYPE_CHECKING:
    from conftest import Cli

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "tracker/desk/settings.py"
#: banso's own processes (the import's writer, the rebuild's case folder) are started with
#: the environment they are started in, banso's packages on their PYTHONPATH.
PASSES_IT_ON = ROOT / "tracker/application/child.py"


def reads_the_environment(tree: ast.AST) -> list[int]:
    """Lines that read ``os.environ``, call ``os.getenv`` or ask ``getpass`` for the login."""
    readers = {"environ", "getenv", "getuser"}
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in readers)
        or (isinstance(node, ast.ImportFrom) and {a.name for a in node.names} & readers)
    ]


def test_only_the_settings_read_the_environment() -> None:
    readers = {}
    for package in ("events", "tracker", "projections", "tui"):
        for path in (ROOT / package).rglob("*.py"):
            lines = reads_the_environment(ast.parse(path.read_text(encoding="utf-8")))
            if lines and path not in (SETTINGS, PASSES_IT_ON):
                readers[str(path.relative_to(ROOT))] = lines
    assert not readers
    assert reads_the_environment(ast.parse(SETTINGS.read_text(encoding="utf-8")))


@pytest.fixture
def no_banso_variables(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("BANSO_STORE", "BANSO_LANG", "BANSO_USER", "BANSO_READ_MODELS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_who_records_is_the_user_option_then_banso_user_then_the_default_then_the_login_name(
    no_banso_variables: pytest.MonkeyPatch,
) -> None:
    assert Settings.load().user == login_name()
    assert Settings.load(default_user="demo").user == "demo"
    no_banso_variables.setenv("BANSO_USER", "事務局 田中")
    assert Settings.load(default_user="demo").user == "事務局 田中"
    assert Settings.load(user="応援の鈴木", default_user="demo").user == "応援の鈴木"


def test_the_language_is_the_option_then_banso_lang_then_japanese(
    no_banso_variables: pytest.MonkeyPatch,
) -> None:
    assert Settings.load().lang == "ja"
    no_banso_variables.setenv("BANSO_LANG", "en")
    assert Settings.load().lang == "en"
    assert Settings.load(lang="ja").lang == "ja"


def test_a_language_banso_does_not_speak_is_refused_but_still_names_what_was_asked(
    no_banso_variables: pytest.MonkeyPatch,
) -> None:
    no_banso_variables.setenv("BANSO_LANG", "fr")
    with pytest.raises(InvalidInputError) as refused:
        Settings.load()
    params = refused.value.params
    assert (params["field"], params["reason"], params["value"]) == ("lang", "choice", "fr")
    assert params["choices"].said("en") == "ja, en"  # the refusal names what can be asked
    assert wanted_language() == "fr"  # the refusal itself is then said in English


def test_the_demo_is_recorded_by_demo_when_nobody_is_named(cli: Cli) -> None:
    cli.env.pop("BANSO_USER")  # BANSO_USER would name someone (see the test above)
    cli.ok("demo")
    history = cli.ok("--json", "timeline", "川口市").json()
    assert {entry["recorded_by"] for entry in history} == {"demo"}
