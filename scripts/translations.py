"""Apply translations to a catalogue: `python scripts/translations.py [--lang es] FILE.json`.

FILE.json maps English msgids to the language's text (a plural by its singular, to a list of
forms; extra forms are dropped for a language with fewer). Entries it names are set and lose
their fuzzy flag; the script then lists every msgid still untranslated or fuzzy in that
catalogue (tests/test_i18n.py fails on them). With no FILE, it only lists them.
Run `pybabel extract` and `pybabel update` first (see README).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "registry/translations"


def apply(lang: str, translations: dict[str, str | list[str]]) -> list:
    path = TRANSLATIONS / lang / "LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id  # plural: singular
        if key in translations:
            value = translations[key]
            if isinstance(message.id, tuple):
                forms = list(value) if isinstance(value, list) else [value]
                forms = (forms + forms[-1:] * catalogue.num_plurals)[: catalogue.num_plurals]
                message.string = tuple(forms)
            else:
                message.string = value[0] if isinstance(value, list) else value
            message.flags.discard("fuzzy")
        elif not message.string or not all(message.string) or "fuzzy" in message.flags:
            missing.append(message.id)
    catalogue.obsolete.clear()
    with path.open("wb") as handle:
        write_po(handle, catalogue, no_location=True)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="es")
    parser.add_argument("file", nargs="?", type=Path)
    args = parser.parse_args()
    translations = json.loads(args.file.read_text(encoding="utf-8")) if args.file else {}
    missing = apply(args.lang, translations)
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
