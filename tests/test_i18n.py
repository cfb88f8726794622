"""Every user-visible string is in the Spanish catalogue."""

from __future__ import annotations

import subprocess
import sys

from babel.messages.pofile import read_po

from registry import ROOT


def test_spanish_catalogue_translates_every_extracted_string(tmp_path):
    pot = tmp_path / "messages.pot"
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
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "registry/translations/es/LC_MESSAGES/messages.po").open("rb") as handle:
        spanish = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(m for m in wanted if not spanish.get(m))
    assert len(wanted) > 100
    assert missing == []
