"""Every word users read comes from a catalogue, in Japanese and English: every key has both
texts with the same placeholders, every key the code names exists, no key is left unused, and
a catalogue a translator broke is refused at once, naming the file and the key."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import events
from events.base import DomainEvent
from events.case import CHANNELS, RESOLUTIONS
from events.municipality import OUTREACH_KINDS
from projections.queries.cases import STATUS_FILTERS
from projections.rules import RULES
from tracker.cli.ask import FIGURES
from tracker.domain.errors import BansoError
from tracker.domain.rulebook import DAY_KINDS
from tracker.domain.topics import DEFAULT_TOPICS
from tracker.language import WORDS, Catalogue, CatalogueError, say
from tracker.language.catalogue import placeholders, read
from tui.forms.export import SUFFIXES
from tui.widgets.top_bar import SECTIONS
from tui.words import WORDS as TUI_WORDS
from tui.words import short

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted([*ROOT.glob("tracker/language/*.toml"), ROOT / "tui/words.toml"])
#: Entries whose languages say different facts on purpose (their ``ja_only``/``en_only``).
UNSHARED = {
    "briefing.day",  # the Japanese date names its era too
    "fig.title",  # the Japanese fiscal year names its era, the English one its months
    "cli.stats.title",
    "export.file",  # the Japanese file name has the municipality's name, the English its code
    "cli.usage.missing",  # in English, click's own words
    "cli.usage.no_such_option",
    "cli.usage.range",
    "cli.usage.at_least",
    "cli.usage.integer",
    "cli.usage.choice",
}
KEY = re.compile(r"[a-z_]+(\.[A-Za-z0-9_-]+)+")


def sources(*packages: str) -> Iterator[tuple[Path, ast.AST]]:
    """The code of ``packages``, but the catalogues' own (it names files, not keys)."""
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.parent != ROOT / "tracker/language":
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def literals(tree: ast.AST) -> Iterator[str]:
    """Every string the code spells out, and the head of every f-string (up to a ``{``)."""
    heads = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                heads.add(id(first))
                yield first.value + "{"
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in heads
        ):
            yield node.value


def said(tree: ast.AST) -> Iterator[str]:
    """The first argument of every ``say(...)``/``short(...)`` call that is a plain string."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("say", "short")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def namespaces(words: Catalogue) -> set[str]:
    return {key.split(".")[0] for key in words if "." in key}


def named_keys(words: Catalogue, *packages: str) -> dict[str, Path]:
    """Strings in the code of ``packages`` that name a key: a dotted name in a namespace of
    ``words``, an argument of ``say``, or (ending in ``{``) the family of an f-string."""
    spaces = namespaces(words)
    found: dict[str, Path] = {}
    for path, tree in sources(*packages):
        for text in literals(tree):
            name = text.removesuffix("{")
            if name.split(".")[0] in spaces and (KEY.fullmatch(name) or name.endswith(".")):
                found[text] = path
        for text in said(tree):
            found[text] = path
    return found


def mentioned(words: Catalogue, *packages: str) -> set[str]:
    """The keys of ``words`` the code spells out anywhere (``key = "count" if ..``)."""
    return {text for _, tree in sources(*packages) for text in literals(tree) if text in words}


def from_a_test(cls: type) -> bool:
    """Whether ``cls`` is a test's own (a test may derive an error of its own)."""
    module = sys.modules[cls.__module__].__file__ or ""
    return Path(module).is_relative_to(ROOT / "tests")


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


# ---- the catalogues as shipped -------------------------------------------------------------


@pytest.mark.parametrize("file", CATALOGUES, ids=lambda f: f.name)
def test_every_key_has_japanese_and_english_with_the_same_placeholders(file: Path) -> None:
    entries = read(file)
    assert entries, file
    for key, texts in entries.items():
        assert texts["ja"].strip() and texts["en"].strip(), key
        if key not in UNSHARED:
            assert placeholders(texts["ja"]) == placeholders(texts["en"]), key


def test_the_entries_whose_languages_differ_on_purpose_are_the_known_few() -> None:
    differing = {
        key
        for key in TUI_WORDS
        if placeholders(TUI_WORDS.say(key, "ja")) != placeholders(TUI_WORDS.say(key, "en"))
    }
    assert differing == UNSHARED


def test_a_key_is_in_one_catalogue_only() -> None:
    seen: dict[str, str] = {}
    for file in CATALOGUES:
        for key in read(file):
            assert key not in seen, f"{key} in {seen.get(key)} and {file.name}"
            seen[key] = file.name


def test_every_key_the_code_names_is_in_a_catalogue() -> None:
    missing = []
    for words, packages in ((WORDS, ("events", "tracker", "projections")), (TUI_WORDS, ("tui",))):
        for name, path in named_keys(words, *packages).items():
            if name.endswith("{"):
                if not any(key.startswith(name[:-1]) for key in words):
                    missing.append(f"{path.relative_to(ROOT)}: {name}...")
            elif name not in words:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing


def test_every_refusal_and_every_reason_has_its_message() -> None:
    keys = {f"error.{cls.key}" for cls in subclasses(BansoError) if not from_a_test(cls)}
    reasons = {
        f"why.{keyword.value.value}"
        for _, tree in sources("tracker", "projections")
        for keyword in ast.walk(tree)
        if isinstance(keyword, ast.keyword)
        and keyword.arg == "reason"
        and isinstance(keyword.value, ast.Constant)
    }
    assert keys == {key for key in WORDS if key.startswith("error.")}
    assert reasons == {key for key in WORDS if key.startswith("why.")}


def event_kinds() -> set[str]:
    """Every kind of event but the case numbers' bookkeeping (never shown as a fact)."""
    for module in pkgutil.iter_modules(events.__path__):
        importlib.import_module(f"events.{module.name}")
    kinds = subclasses(DomainEvent)
    return {c.__name__ for c in kinds if c.__module__ != "events.sequence" and not from_a_test(c)}


@pytest.mark.parametrize(
    ("family", "words", "values"),
    [
        ("kind", WORDS, event_kinds()),
        ("channel", WORDS, set(CHANNELS)),
        ("resolution", WORDS, set(RESOLUTIONS)),
        ("outreach", WORDS, set(OUTREACH_KINDS)),
        ("topic", WORDS, set(DEFAULT_TOPICS)),
        ("rule", WORDS, set(RULES)),
        ("day_kind", WORDS, set(DAY_KINDS)),
        ("count", WORDS, set(DAY_KINDS)),
        ("cli.stats.figures", WORDS, set(FIGURES)),
        ("status", TUI_WORDS, set(STATUS_FILTERS)),
        ("month", TUI_WORDS, {str(m) for m in range(1, 13)}),
        ("format", TUI_WORDS, set(SUFFIXES)),
        ("section", TUI_WORDS, set(SECTIONS)),
    ],
)
def test_each_value_of_a_family_has_its_words_and_no_word_is_left_over(
    family: str, words: Catalogue, values: set[str]
) -> None:
    """Words looked up as ``f"{family}.{value}"``: exactly one per value the code knows."""
    named = {key.split(".")[-1] for key in words if key.rsplit(".", 1)[0] == family}
    assert named == values


def test_no_catalogue_key_is_unused() -> None:
    """A key counts as used when the code spells it out, when it is one of a family the code
    looks up as ``f"family.{value}"`` (checked value by value above), or when it is the
    ``short`` form of a used key; a refusal's, a reason's and a field's words are used by
    ``error_message``."""
    for words, packages, own in (
        (WORDS, ("events", "tracker", "projections", "tui"), set(WORDS)),
        (TUI_WORDS, ("tui",), set(TUI_WORDS) - set(WORDS)),
    ):
        named = set(named_keys(words, *packages)) | mentioned(words, *packages)
        families = tuple(name[:-1] for name in named if name.endswith("{"))
        families += ("error.", "why.", "field.")
        unused = {
            key
            for key in own
            if key not in named
            and not key.startswith(families)
            and not (key.endswith(".short") and key.removesuffix(".short") in named)
        }
        assert not unused


# ---- looking up ----------------------------------------------------------------------------


def test_say_fills_the_placeholders_in_the_language_asked_for() -> None:
    assert say("error.unknown_case", "ja", case="2025-001") == "案件 2025-001 は見つかりません"
    assert say("error.unknown_case", "en", case="2025-001") == "Unknown case: 2025-001"


def test_a_language_banso_does_not_speak_gets_english() -> None:
    assert say("cli.error", "fr", detail="x") == "Error: x"


def test_a_placeholder_nobody_filled_stays_visible_and_braces_in_values_stay_as_they_are() -> None:
    assert say("cli.error", "en", other="x") == "Error: {detail}"
    assert say("cli.error", "en", detail="{case}") == "Error: {case}"


def test_a_key_nobody_wrote_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        say("no.such.key", "ja")


def test_a_binding_word_has_a_short_form_where_the_whole_one_is_long() -> None:
    assert short("b.apply", "ja") == "申請"
    assert TUI_WORDS.say("b.apply", "ja") == "派遣申請"
    assert short("b.quit", "en") == "Quit"  # no short form: the whole one


# ---- a catalogue a translator broke --------------------------------------------------------

BROKEN = {
    "a missing language": ('[x]\nhello = { ja = "こんにちは" }\n', "x.hello has no en text"),
    "an empty text": ('[x]\nhello = { ja = " ", en = "Hello" }\n', "x.hello has no ja text"),
    "a placeholder in one language only": (
        '[x]\nhello = { ja = "{name} さん", en = "Hello" }\n',
        "x.hello has placeholders [] in en but ['name'] in ja",
    ),
    "a misspelt placeholder": (
        '[x]\nhello = { ja = "{name} さん", en = "Hello {nmae}" }\n',
        "x.hello has placeholders ['nmae'] in en but ['name'] in ja",
    ),
    "a stray brace": ('[x]\nhello = { ja = "{name", en = "{name}" }\n', "x.hello in ja"),
    "an exception that is not there": (
        '[x]\nhello = { ja = "a", en = "b", ja_only = ["era"] }\n',
        "x.hello says ja_only ['era'], unused",
    ),
    "a text where a table belongs": ('[x]\nhello = "Hello"\n', "x.hello is neither an entry"),
    "not TOML": ("[x\nhello = 1\n", "not valid TOML"),
}


@pytest.mark.parametrize(("text", "says"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_catalogue_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, text: str, says: str
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as refused:
        Catalogue([broken]).say("x.hello", "ja")
    assert str(refused.value).startswith("broken.toml: ")
    assert says in str(refused.value)


def test_a_key_missing_in_english_fails_even_when_the_japanese_is_fine(tmp_path: Path) -> None:
    catalogue = tmp_path / "words.toml"
    catalogue.write_text(
        '[x]\nfine = { ja = "よし", en = "fine" }\nhalf.ja = "半分"\n', encoding="utf-8"
    )
    with pytest.raises(CatalogueError, match=r"x\.half has no en text"):
        Catalogue([catalogue]).say("x.fine", "ja")


def test_the_same_key_in_two_catalogues_is_refused(tmp_path: Path) -> None:
    for name in ("one.toml", "two.toml"):
        (tmp_path / name).write_text('[x]\nhello = { ja = "a", en = "b" }\n', encoding="utf-8")
    joined = Catalogue([tmp_path / "one.toml"]).joined(tmp_path / "two.toml")
    with pytest.raises(CatalogueError, match=r"two\.toml: x\.hello is already in another"):
        joined.say("x.hello", "ja")


def test_a_joined_catalogue_reads_the_files_it_joins_once(tmp_path: Path) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text('[x]\nhello = { ja = "こんにちは", en = "hello" }\n', encoding="utf-8")
    two.write_text('[y]\nbye = { ja = "さようなら", en = "bye" }\n', encoding="utf-8")
    banso = Catalogue([one])
    joined = banso.joined(two)
    assert (joined.say("x.hello", "en"), joined.say("y.bye", "en")) == ("hello", "bye")
    one.write_text('[x]\nhello = { ja = "やあ", en = "hi" }\n', encoding="utf-8")
    assert banso.say("x.hello", "en") == "hello"  # read for the joined one, kept for itself
    assert "y.bye" not in banso
