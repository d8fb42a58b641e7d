"""The cache as one layer: keys come from what a step receives, and stages never see the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from disclosure_site.cache.keys import step_key, token
from disclosure_site.cache.memo import Memo
from disclosure_site.cache.steps import CachedSteps
from disclosure_site.core.steps import Steps


@dataclass(frozen=True)
class Named:
    """Bytes named by their digest, as the loader hands a file to its step."""

    digest: str
    data: bytes = field(repr=False)


def test_equal_inputs_give_equal_keys_and_any_difference_a_new_key():
    inputs = ({"entry": ("a", 1), "today": dt.date(2026, 1, 2)}, [1.5, None, True])
    assert step_key("page", inputs) == step_key("page", ({"entry": ("a", 1), "today": dt.date(2026, 1, 2)},
                                                         [1.5, None, True]))
    assert step_key("page", inputs) != step_key("record", inputs)
    assert step_key("page", inputs) != step_key("page", ({"entry": ("a", 1), "today": dt.date(2026, 1, 3)},
                                                         [1.5, None, True]))


def test_a_field_left_out_of_the_key_is_named_by_its_digest():
    assert token(Named("abc", b"one")) == token(Named("abc", b"two"))
    assert token(Named("abc", b"one")) != token(Named("abd", b"one"))


@pytest.mark.parametrize("value", [object(), lambda: 1, {1, 2}, frozenset({"a"}), [("ok", object())]])
def test_a_value_without_stable_text_is_refused_not_guessed(value):
    with pytest.raises(TypeError):
        token(value)


def test_a_step_runs_once_for_the_same_inputs_and_again_for_new_ones():
    calls: list[str] = []

    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    steps = CachedSteps(Memo(None))
    assert [steps.run("shout", shout, "a"), steps.run("shout", shout, "a"), steps.run("shout", shout, "b")] == \
        ["A", "A", "B"]
    assert calls == ["a", "b"]


def test_the_plain_runner_keeps_nothing():
    calls: list[int] = []
    steps = Steps()
    for _ in range(2):
        steps.run("count", calls.append, 1)
    assert calls == [1, 1]


def test_a_result_made_from_files_is_made_again_when_one_changes(tmp_path):
    attachment = tmp_path / "a.pdf"
    attachment.write_bytes(b"%PDF-1")
    calls: list[str] = []

    def check(name: str) -> str:
        calls.append(name)
        return name

    steps = CachedSteps(Memo(None))
    steps.run_with_files("entry", check, lambda _result: [str(attachment)], "a.md")
    steps.run_with_files("entry", check, lambda _result: [str(attachment)], "a.md")
    attachment.write_bytes(b"%PDF-1.7 longer")
    steps.run_with_files("entry", check, lambda _result: [str(attachment)], "a.md")
    steps.run_with_files("entry", check, lambda _result: None, "b.md")
    steps.run_with_files("entry", check, lambda _result: None, "b.md")
    assert calls == ["a.md", "a.md", "b.md", "b.md"]


def test_an_entry_is_written_out_once_and_never_pickled_with_its_text(make_site):
    import pickle

    from conftest import entry

    site = make_site({"content/news/a.md": entry()})
    (loaded,) = _entries(site)
    text = repr(loaded)
    assert text.startswith("Entry(rel='content/news/a.md', ") and "body='正文。\\n'" in text
    assert repr(loaded) is text
    copy = pickle.loads(pickle.dumps(loaded))
    assert "_repr" not in copy.__dict__ and copy == loaded and repr(copy) == text


def _entries(site):
    import datetime as dt

    from disclosure_site import pipeline
    outcome = pipeline.check(site.root, dt.date(2026, 11, 26))
    assert outcome.catalogue is not None
    return outcome.catalogue.entries


def test_a_preview_compares_a_recurring_steps_inputs_instead_of_keying_them_again(monkeypatch):
    from disclosure_site.cache import steps as cached

    kept = cached.Kept()
    keyed: list[str] = []
    real_key = cached.step_key
    monkeypatch.setattr(cached, "step_key", lambda step, inputs: keyed.append(step) or real_key(step, inputs))
    made: list[str] = []

    def page(text: str) -> bytes:
        made.append(text)
        return text.encode()

    def one_build(text: str) -> tuple[bytes | str | None, ...]:
        steps = CachedSteps(Memo(None), kept)
        same = steps.unchanged_at("page", "a.html", text)
        result = same if same is not None else steps.run_at("page", "a.html", page, text)
        steps.done()
        return (result,)

    assert one_build("甲") == (b"\xe7\x94\xb2",) and keyed == ["page"] and made == ["甲"]
    import hashlib
    assert one_build("甲") == (hashlib.sha256("甲".encode()).hexdigest(),)  # unchanged: neither keyed nor made
    assert keyed == ["page"] and made == ["甲"]
    assert one_build("乙") == ("乙".encode(),) and keyed == ["page", "page"] and made == ["甲", "乙"]
    plain = Steps()
    assert plain.unchanged_at("page", "a.html", "乙") is None


def test_a_preview_keeps_the_earlier_of_two_equal_values():
    from disclosure_site.cache import steps as cached

    kept = cached.Kept()
    first, second, third = [1, 2], [1, 2], [3]
    assert CachedSteps(Memo(None), kept).settled("catalog", first) is first
    assert CachedSteps(Memo(None), kept).settled("catalog", second) is first
    assert CachedSteps(Memo(None), kept).settled("catalog", third) is third
    assert CachedSteps(Memo(None)).settled("catalog", second) is second  # no preview: nothing kept


def test_every_field_left_out_of_equality_is_one_that_no_page_shows():
    """A preview takes a page as unchanged when its inputs compare equal (``CachedSteps.run_at``); a field that
    ``==`` skips must therefore never change what a page shows. A new one must be added here, with its reason."""
    import dataclasses
    import importlib
    import pkgutil

    import disclosure_site

    allowed = {
        "SiteConfig.by_path": "derived from the columns, which compare",
        "SiteConfig.lines": "line numbers for messages only",
        "SiteConfig.key_lines": "line numbers for messages only",
        "SiteConfig.digest": "names catalog.yaml in cache keys only",
        "OutputFile.origin": "names the source in messages only",
        "Edition.digests": "pages get the attachments' digests as values of their own",
        "Catalogue.calendar": "working days, derived from the build date, which compares",
        "Catalogue.steps": "the cache runner, not data",
        "Diagnostic.severity": "set from the code by catalog.yaml, which compares",
        "WrittenPages.read": "reads pages named by their digests, which compare",
    }
    found = set()
    for info in pkgutil.walk_packages(disclosure_site.__path__, "disclosure_site."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == info.name:
                found |= {f"{value.__name__}.{f.name}" for f in dataclasses.fields(value) if not f.compare}
    assert found == set(allowed)
