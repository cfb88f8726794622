"""Apply Spanish translations to the catalogue: `python scripts/translations.py FILE.json`.

FILE.json maps English msgids to Spanish (a plural by its singular, to a list of forms).
Entries it names are set and lose their fuzzy flag;
the script then lists every msgid still untranslated or fuzzy (tests/test_i18n.py fails on them).
Run `pybabel extract` and `pybabel update` first (see README).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "registry/translations/es/LC_MESSAGES/messages.po"
)


def main(translations: dict[str, str]) -> int:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="es")
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id  # plural: singular
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
        elif not message.string or "fuzzy" in message.flags:
            missing.append(message.id)
    catalogue.obsolete.clear()
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, no_location=True)
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(
        main(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")) if len(sys.argv) > 1 else {})
    )
