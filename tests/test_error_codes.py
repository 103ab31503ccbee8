"""Errors a UI can use: a stable code per class, structured fields, English and Russian messages
from the catalogue without internal ids, and docs/errors.md listing every one of them."""

from __future__ import annotations

import importlib.util
import inspect
import pathlib
import re

import pytest

import edmscore.errors as errors
from edmscore._error_catalogue import CATALOGUE
from edmscore.errors import EdmsError, NotFound, ValidationError

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "scripts" / "gen_reference.py"
# Arguments that a person may read in a message: a field's name, a registration number, states.
SHOWN = frozenset(
    {"what", "field", "element", "number", "permission", "package", "extra", "current", "target"}
    | {"state", "move", "expected", "question", "due", "parent_due", "limit"}
    | {"page", "tool"}  # a scanned page's number, a program's name (edmscore.scanning)
)


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CLASSES: list[type[EdmsError]] = _generator().error_classes()


def _build(cls: type[EdmsError]) -> tuple[EdmsError, dict[str, object]]:
    """An instance of ``cls`` whose every text argument is a distinct, recognisable marker."""
    given: dict[str, object] = {}
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    if not parameters:
        return cls(), given
    if all(p.kind is p.VAR_POSITIONAL or p.kind is p.VAR_KEYWORD for p in parameters):
        given["detail"] = "detail-7f3a9c"
        return cls("detail-7f3a9c"), given
    for p in parameters:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is not p.empty and p.kind is p.KEYWORD_ONLY:
            continue
        annotation = str(p.annotation)
        given[p.name] = 4242 if annotation == "int" else f"{p.name}-7f3a9c"
    return cls(**given), given


def test_the_hierarchy_is_walked_whole() -> None:
    names = {cls.__name__ for cls in CLASSES}
    assert {"EdmsError", "PdfDamaged", "MedoUnsafeInput", "UniqueViolation"} <= names
    assert set(errors.__all__) >= {c.__name__ for c in CLASSES if c.__module__ == errors.__name__}


def test_every_error_has_its_own_stable_code_and_both_messages() -> None:
    codes = [cls.code for cls in CLASSES]
    assert len(codes) == len(set(codes)), "two error classes share a code"
    for cls in CLASSES:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", cls.code), cls
        assert "code" in vars(cls), f"{cls.__name__} has no code of its own"
        assert cls.code in CATALOGUE, f"{cls.__name__} ({cls.code}) has no catalogue entry"
        for variant in CATALOGUE[cls.code]:
            assert variant["en"] and variant["ru"], cls.code
            assert re.search("[а-яё]", variant["ru"], re.I), f"{cls.code}: not Russian"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_message_names_no_internal_id_and_the_fields_keep_them(cls: type[EdmsError]) -> None:
    error, given = _build(cls)
    for locale in ("en", "ru"):
        text = error.message(locale=locale)
        assert text and "{" not in text and "?" not in text.replace("?»", "")
        hidden = [name for name in given if name not in SHOWN]
        for name in hidden:
            assert str(given[name]) not in text, f"{cls.__name__} shows {name} in {text!r}"
    fields = error.fields
    assert {"what", "record", "field"} <= fields.keys()
    answer = error.to_dict("ru")
    assert answer["code"] == cls.code and answer["message"] == error.message("ru")


def test_the_locale_is_chosen_per_call_or_for_the_module() -> None:
    error = NotFound("card", "c-1")
    assert error.message() == "The card was not found."
    assert error.message(locale="ru") == "Не найдено: регистрационная карточка."
    errors.set_locale("ru")
    try:
        assert errors.get_locale() == "ru"
        assert error.message() == "Не найдено: регистрационная карточка."
        assert error.message(locale="en") == "The card was not found."
    finally:
        errors.set_locale("en")
    with pytest.raises(ValidationError) as caught:
        errors.set_locale("de")
    assert caught.value.field == "locale"


def test_structured_fields_name_what_which_record_and_which_field() -> None:
    error = NotFound("journal", "j-42")
    assert (error.what, error.record, error.field) == ("journal", "j-42", None)
    invalid = ValidationError("owner", "longer than 200 characters")
    assert (invalid.field, invalid.detail) == ("owner", "longer than 200 characters")
    assert invalid.message("ru") == "Недопустимое значение поля owner: проверьте ввод."


def test_a_new_subclass_gets_a_code_of_its_own() -> None:
    class HoldsBackError(errors.StateError):
        pass

    assert HoldsBackError.code == "HOLDS_BACK"
    assert HoldsBackError("x").message() == errors.StateError("x").message()


def test_the_errors_page_lists_every_code_with_both_messages() -> None:
    generator = _generator()
    page = generator.ERRORS_PAGE.read_text(encoding="utf-8")
    assert generator.render_errors_table() in page, (
        "docs/errors.md is out of date: run python scripts/gen_reference.py"
    )
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    assert {row.split("`")[1] for row in rows} == {cls.code for cls in CLASSES}
