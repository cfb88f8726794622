"""Every user-visible string is in every catalogue the registry offers, with its placeholders."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from registry import ROOT

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
OFFERED = ["es", "fr", "pt", "ht"]  # English is the source


@pytest.fixture(scope="module")
def wanted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "_l",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_the_registry_offers_every_catalogue(app):
    assert list(app.config["LANGUAGES"]) == ["es", "en", *OFFERED[1:]]


@pytest.mark.parametrize("lang", OFFERED)
def test_every_catalogue_translates_every_extracted_string(wanted, lang):
    path = ROOT / f"registry/translations/{lang}/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle, locale=lang) if m.id}
    missing = sorted(
        str(m)
        for m in wanted
        if m not in catalogue
        or "fuzzy" in catalogue[m].flags
        or not all(catalogue[m].string if isinstance(m, tuple) else [catalogue[m].string])
    )
    assert len(wanted) > 100
    assert missing == []
    # a translation keeps every placeholder of its English text, and adds none
    broken = []
    for msgid in wanted:
        english = " ".join(msgid) if isinstance(msgid, tuple) else msgid
        strings = catalogue[msgid].string
        for text in strings if isinstance(strings, tuple) else [strings]:
            if set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(english)) or (
                not isinstance(msgid, tuple)
                and set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(text))
            ):
                broken.append(english)
    assert broken == []
