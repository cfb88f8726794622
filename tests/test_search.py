"""The lookup against a real SQLite database and a real Whoosh index."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest
from sqlmodel import select
from support import mark_older_format

from registry import create_app
from registry.clock import today
from registry.models import Agency, IndexOutbox
from registry.search import get_index
from registry.search.service import search
from registry.search.whoosh_index import IndexUnavailable

FUTURE = date(2099, 1, 1)


@pytest.fixture
def registry(make_agency, index_now):
    agencies = {
        "juridica": make_agency(
            "Asistencia Jurídica GM, S.A. de C.V.",
            licence=("RL-123", "active", FUTURE),
            phones=["+52 55 1234 5678"],
            websites=["https://www.juridica-gm.example/contacto"],
        ),
        "delal": make_agency(
            "Del-Al Associates, Inc.",
            country="US",
            licence=("US 445-A", "active", FUTURE),
            emails=["info@delal.example"],
        ),
        "phoenix": make_agency(
            "Nuevo Amanecer Laboral",
            country="GT",
            former=["Fénix Empleos"],
            licence=("GT-9", "revoked", FUTURE),
        ),
        "consular": make_agency("Servicios Consulares Integrales del Norte", kind="consultant"),
        "global": make_agency(
            "Global Manpower Services", country="PH", licence=("POEA-001", "active", FUTURE)
        ),
        "globe": make_agency(
            "Globe Manpower Solutions", country="PH", licence=("POEA-002", "suspended", FUTURE)
        ),
    }
    index_now()
    return agencies


@pytest.fixture
def common_above(monkeypatch):
    """Sets how many agencies make a name word common in both backends (matching.COMMON), so
    that a handful of agencies behaves as a registry of a million does."""
    from registry.search import postgres_index, whoosh_index

    def set_common(agencies: int) -> None:
        for module in (postgres_index, whoosh_index):
            monkeypatch.setattr(module, "COMMON", agencies)

    return set_common


def run(app, session, text, **filters):
    with app.test_request_context():
        return search(
            connection=session.connection(), index=get_index(), text=text, on=today(), **filters
        )


def register_older(session, names) -> None:
    """Agencies registered before the one a test looks for (older: a lookup whose words are
    all common reads the oldest holding them all), each with only its name."""
    for name in names:
        session.add(Agency(name=name, country="MX"))
    session.commit()


def wipe(index) -> None:
    """Empty the search index behind the app's back, whichever the backend."""
    if index.name == "whoosh":
        index.index.commit_replacing_all(index.index.try_writer())
    else:
        from registry.search.postgres_index import search_document

        with index.engine.begin() as connection:
            connection.execute(search_document.delete())


def top(result):
    return result.hits[0].agency.name if result.hits else None


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Asistencia Jurídica GM", "Asistencia Jurídica GM, S.A. de C.V."),
        ("ASISTENCIA JURIDICA GM SA DE CV", "Asistencia Jurídica GM, S.A. de C.V."),
        ("asistencia juridica gm s. de r.l. de c.v.", "Asistencia Jurídica GM, S.A. de C.V."),
        ("Del Al Associates Inc", "Del-Al Associates, Inc."),
        ("del-al associates llc", "Del-Al Associates, Inc."),
        ("Asistensia Juridica GM", "Asistencia Jurídica GM, S.A. de C.V."),
        ("Global Manpowr Services", "Global Manpower Services"),
        ("Fenix Empleos", "Nuevo Amanecer Laboral"),
        ("rl123", "Asistencia Jurídica GM, S.A. de C.V."),
        ("r-l 1 2 3", "Asistencia Jurídica GM, S.A. de C.V."),
        ("us445a", "Del-Al Associates, Inc."),
        ("55 1234 5678", "Asistencia Jurídica GM, S.A. de C.V."),
        ("+52 (55) 1234-5678", "Asistencia Jurídica GM, S.A. de C.V."),
        ("juridica-gm.example", "Asistencia Jurídica GM, S.A. de C.V."),
        ("http://juridica-gm.example/", "Asistencia Jurídica GM, S.A. de C.V."),
        ("someone@delal.example", "Del-Al Associates, Inc."),
        ("Asistencia Juridica GM S A de C V", "Asistencia Jurídica GM, S.A. de C.V."),  # spaced
        ("Juridica Asistencia GM", "Asistencia Jurídica GM, S.A. de C.V."),  # words reordered
        ("Asistencia Juirdica GM", "Asistencia Jurídica GM, S.A. de C.V."),  # two letters swapped
        ("Servisios Consulares Integrales del Norte", "Servicios Consulares Integrales del Norte"),
        ("Serbicios Konsulares Integrales del Norte", "Servicios Consulares Integrales del Norte"),
        ("1234 5678", "Asistencia Jurídica GM, S.A. de C.V."),  # no area code
    ],
)
def test_finds_the_agency_as_a_match(app, session, registry, query, expected):
    result = run(app, session, query)
    assert result.outcome == "match"
    assert top(result) == expected


def test_distinctive_part_of_a_name_is_found(app, session, registry):
    result = run(app, session, "Consulares Integrales")
    assert top(result) == "Servicios Consulares Integrales del Norte"


def test_look_alike_is_similar_not_match(app, session, registry):
    result = run(app, session, "Global Manpower Agency Corp")
    assert result.outcome == "similar"
    assert {h.agency.name for h in result.hits} >= {"Global Manpower Services"}
    assert all(h.match == "similar" for h in result.hits)


def test_unknown_name_is_none(app, session, registry):
    result = run(app, session, "Trabajos Garantizados Canadá Express")
    assert result.outcome == "none"
    assert result.hits == []


def test_an_empty_registry_answers_none(app, session):
    result = run(app, session, "Agencia Horizonte")
    assert result.outcome == "none" and result.hits == []


def test_sharing_one_common_word_is_not_similar(app, session, make_agency, index_now):
    make_agency("Visas Garantizadas Fantasma")
    index_now()
    assert run(app, session, "Visas Rapidas Canada").outcome == "none"
    assert run(app, session, "Visas Garantisadas").outcome == "similar"


def test_unknown_licence_number_is_none(app, session, registry):
    assert run(app, session, "RL-999").outcome == "none"


def test_filters_country_kind_and_verdict(app, session, registry):
    assert (
        top(run(app, session, "manpower", country="PH", verdict="suspended"))
        == "Globe Manpower Solutions"
    )
    assert run(app, session, "Global Manpower Services", country="MX").hits == []
    assert (
        top(run(app, session, "Consulares Integrales", kind="consultant"))
        == "Servicios Consulares Integrales del Norte"
    )
    assert run(app, session, "Consulares Integrales", kind="agency").hits == []


def test_a_change_is_searchable_once_the_outbox_is_drained(app, session, registry, index_now):
    agency = registry["global"]
    assert top(run(app, session, "Global Manpower Services")) == "Global Manpower Services"
    agency.name = "Pacific Bridge Recruitment"
    session.add(agency)
    session.commit()
    assert session.exec(select(IndexOutbox).where(IndexOutbox.agency_id == agency.id)).first()
    assert top(run(app, session, "Pacific Bridge Recruitment")) is None  # not yet indexed
    assert index_now() == 1
    assert top(run(app, session, "Pacific Bridge Recruitment")) == "Pacific Bridge Recruitment"
    assert session.exec(select(IndexOutbox)).all() == []
    # the former name's words are no longer its document's, wherever the index kept them
    assert run(app, session, "Global Manpower Services").hits == []


@pytest.mark.whoosh_only
def test_locked_index_loses_no_update(app, session, registry, index_now):
    """Another process holding the Whoosh lock: the drain returns at once and the row waits."""
    with app.app_context():
        holder = get_index().index.try_writer()
    assert holder is not None
    agency = registry["delal"]
    agency.name = "Del-Al Global Partners"
    session.add(agency)
    session.commit()
    assert index_now() == 0
    assert session.exec(select(IndexOutbox)).all() != []
    assert top(run(app, session, "Del Al Associates")) == "Del-Al Global Partners"  # reads go on
    holder.cancel()
    assert index_now() == 1
    assert top(run(app, session, "Del-Al Global Partners")) == "Del-Al Global Partners"


@pytest.mark.whoosh_only
def test_other_processes_search_while_a_writer_holds_the_lock(app, registry, tmp_path):
    with app.app_context():
        holder = get_index().index.try_writer()
    script = textwrap.dedent(f"""
        from registry.search.matching import parse_query
        from registry.search.whoosh_index import SearchIndex
        index = SearchIndex({app.config["INDEX_DIR"]!r})
        _, found = index.candidates(parse_query('manpower'))
        print(len(found))
    """)
    try:
        procs = [
            subprocess.run(
                [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
            )
            for _ in range(2)
        ]
    finally:
        holder.cancel()
    assert [p.stdout.strip() for p in procs] == ["2", "2"], [p.stderr for p in procs]


@pytest.mark.whoosh_only
def test_the_index_is_whoosh_s_own_format_readable_without_the_registry(
    app, session, registry, make_agency, index_now
):
    """The registry writes segments its own way (identifiers kept in their terms' entries), but
    in Whoosh's format: plain Whoosh opens the index, so an earlier version of the registry
    (rolled back to) or any Whoosh tool can still read it."""
    make_agency("Agencia Recien Llegada", licence=("RL-777", "active", FUTURE))
    index_now()  # a second segment beside the registry fixture's
    script = textwrap.dedent(f"""
        import sys
        sys.modules["registry"] = None  # no class of the registry's may be needed
        import marshal
        from whoosh import index
        with index.open_dir({app.config["INDEX_DIR"]!r}).searcher() as searcher:
            records = searcher.reader().column_reader("record", translate=False)
            found = [marshal.loads(records[d])[1][0]
                     for key in ("lic:RL123", "lic:RL777", "tel:5512345678")
                     for d in searcher.postings("identifiers", key).all_ids()]
            print(searcher.doc_count(), found)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == (
        "7 ['Asistencia Jurídica GM, S.A. de C.V.', "
        "'Agencia Recien Llegada', "
        "'Asistencia Jurídica GM, S.A. de C.V.']"
    ), done.stderr


def test_postings_sorted_on_disk_when_they_outgrow_the_writer_s_memory_are_all_kept(tmp_path):
    """A rebuild of a large registry sorts its postings in runs on disk; with more runs than
    Whoosh merges at once, some are merged into a run of their own first. Nothing is lost."""
    from registry.search.documents import make_document
    from registry.search.matching import parse_query
    from registry.search.whoosh_index import SearchIndex

    words = ["horizonte", "pacifico", "andina", "caribe", "frontera"]
    index = SearchIndex(tmp_path / "index")
    try:
        writer = index.try_writer(limitmb=0.001)  # a run every half-dozen postings
        index.add_all(
            writer,
            (
                make_document(
                    n,
                    names=[f"Agencia {words[n % 5]} {n:04d}"],
                    country="MX",
                    kind="agency",
                    licences=[f"LIC-{n}"],
                    phones=[],
                    emails=[],
                    websites=[],
                )
                for n in range(1, 401)
            ),
        )
        assert len(writer.pool.runs) > 128
        index.commit_replacing_all(writer)
        assert index.doc_count() == 400
        for n in range(1, 401):
            assert [c.agency_id for c in index.candidates(parse_query(f"LIC-{n}"))[1]] == [n]
        _, found = index.candidates(parse_query("agencia pacifico"), limit=400)
        assert sorted(c.agency_id for c in found) == list(range(1, 401, 5))
    finally:
        index.close()


def test_a_rebuild_pauses_the_garbage_collector_only_while_it_runs(app, session, registry):
    import gc

    seen = []

    def fail(count):
        seen.append(gc.isenabled())
        raise RuntimeError("interrupted")

    with app.app_context():
        with pytest.raises(RuntimeError, match="interrupted"):
            get_index().rebuild(progress=fail)
        assert seen == [False] and gc.isenabled()
        assert get_index().rebuild(progress=seen.append) == 6 and gc.isenabled()
    assert top(run(app, session, "rl123")) == "Asistencia Jurídica GM, S.A. de C.V."


def test_agencies_indexed_one_drain_at_a_time_stay_found_as_segments_merge(
    app, session, make_agency, index_now
):
    """Each drain writes a small segment, and the next ones merge them: every agency, found by
    its name or its licence number (a term kept in its entry), survives the merges and the
    compaction after them."""
    names = [
        "Alfa Reclutamiento",
        "Bravo Colocaciones",
        "Charlie Empleos",
        "Delta Talentos",
        "Eco Personal",
        "Foxtrot Laboral",
    ]
    for n, name in enumerate(names):
        make_agency(name, licence=(f"SEG-{n}", "active", FUTURE))
        assert index_now() == 1
    for n, name in enumerate(names):
        assert top(run(app, session, name)) == name
        assert top(run(app, session, f"SEG-{n}")) == name
    with app.app_context():
        get_index().compact()
    assert [top(run(app, session, f"SEG-{n}")) for n in range(6)] == names


def test_deleted_agency_leaves_the_index(app, session, registry, index_now):
    agency = session.get(Agency, registry["consular"].id)
    session.delete(agency)
    session.commit()
    index_now()
    assert run(app, session, "Consulares Integrales").hits == []


def test_rebuild_recreates_the_index_from_the_database(app, session, registry):
    with app.app_context():
        index = get_index()
        wipe(index)
        assert index.doc_count() == 0
        if index.name == "whoosh":  # an emptied folder says so rather than "not registered"
            with pytest.raises(IndexUnavailable):
                run(app, session, "rl123")
            assert index.problem() == "empty, while the database holds agencies"
        else:
            assert top(run(app, session, "rl123")) is None
        assert index.rebuild() == 6
        assert index.doc_count() == 6
    assert top(run(app, session, "rl123")) == "Asistencia Jurídica GM, S.A. de C.V."


def test_background_indexer_makes_a_change_searchable_by_itself(app, session, registry):
    import time

    from registry.search.indexer import BackgroundIndexer

    indexer = BackgroundIndexer(app.extensions["registry.index"], interval=0.5)
    indexer.start()
    try:
        agency = registry["consular"]
        agency.name = "Consultores Andinos Verificados"
        session.add(agency)
        session.commit()
        started = time.monotonic()
        while top(run(app, session, "Consultores Andinos Verificados")) is None:
            assert time.monotonic() - started < 30, "never searchable"
            time.sleep(0.05)
    finally:
        indexer.stop()


def test_sound_alikes_person_names_and_other_scripts(app, session, make_agency, index_now):
    make_agency("Reclutadora Vallejo y Hernández, S. de R.L.", country="GT")
    make_agency("Albert Alejandro Ortiz Rincón", country="CO", kind="consultant")
    make_agency("Interyer İnşaat Məhdud Məsuliyyətli Cəmiyyəti", country="AZ")
    make_agency("Llanos Contrataciones Cía. Ltda.", country="CO")
    index_now()
    for query, expected in [
        ("Reclutadora Bayejo y Ernandez", "Reclutadora Vallejo y Hernández, S. de R.L."),
        ("Yanos Contrataciones", "Llanos Contrataciones Cía. Ltda."),
        ("Ortiz Rincón, Albert Alejandro", "Albert Alejandro Ortiz Rincón"),
        (
            "Interyer Insaat Mehdud Mesuliyyetli Cemiyyeti",
            "Interyer İnşaat Məhdud Məsuliyyətli Cəmiyyəti",
        ),
    ]:
        result = run(app, session, query)
        assert (result.outcome, top(result)) == ("match", expected), query
    part = run(app, session, "Ortiz Rincon, Albert")  # a middle name left out: found, not sure
    assert (part.outcome, top(part)) == ("similar", "Albert Alejandro Ortiz Rincón")


def test_short_names_and_initials_do_not_match_everything(app, session, make_agency, index_now):
    for name in (
        "ALS Manpower Inc.",
        "AB Services Corp.",
        "ABS Services",
        "GM Consultores",
        "ALP Services",
    ):
        make_agency(name, country="PH")
    index_now()
    result = run(app, session, "AB Services")
    assert (result.outcome, top(result)) == ("match", "AB Services Corp.")
    assert result.hits[1:] == [] or all(h.match == "similar" for h in result.hits[1:])
    for query in ("ALS", "GM", "AC Services", "ALS Services", "AB"):
        assert run(app, session, query).outcome != "match", query


def test_a_licence_number_beside_another_name_warns(app, session, client, registry):
    result = run(app, session, "Sierra Madre Talent RL-123")
    assert result.hits[0].agency.name == "Asistencia Jurídica GM, S.A. de C.V."
    assert result.outcome == "similar" and result.warnings == ["number_of_another"]
    page = client.get(
        "/search?q=Sierra+Madre+Talent+RL-123", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "This number belongs to Asistencia Jurídica GM, S.A. de C.V." in page
    # The holder's own name with its number is no warning.
    own = run(app, session, "Asistencia Juridica GM RL-123")
    assert own.outcome == "match" and own.warnings == []


def test_look_alikes_of_a_licensed_agency_warn_of_impersonation(app, session, client, registry):
    result = run(app, session, "Global Manpower Services Overseas")
    assert result.outcome == "similar" and "look_alike" in result.warnings
    assert top(result) == "Global Manpower Services"
    page = client.get(
        "/search?q=Global+Manpower+Services+Overseas", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "los estafadores usan nombres parecidos" in page.lower()
    typo = run(app, session, "Global Manpowr Services")
    assert typo.outcome == "match" and typo.warnings == ["spelling_differs"]
    assert run(app, session, "Global Manpower Services").warnings == []


def test_a_mail_domain_shared_by_many_agencies_identifies_none(
    app, session, make_agency, index_now
):
    for i, name in enumerate(["Alpha Crewing", "Beta Seafarers", "Gamma Placement"]):
        make_agency(name, country="PH", emails=[f"agency{i}@isp-mail.example"])
    index_now()
    assert run(app, session, "jobs@isp-mail.example").outcome == "none"
    exact = run(app, session, "agency1@isp-mail.example")
    assert (exact.outcome, top(exact)) == ("match", "Beta Seafarers")


def test_an_index_of_an_older_format_is_rebuilt_by_init_db(app, session, registry):
    """After an upgrade that changes what the index holds, `init-db` (run by ./run.sh) rebuilds
    it from the database."""
    with app.app_context():
        get_index().rebuild()
    mark_older_format(app)
    upgraded = create_app(
        {
            key: app.config[key]
            for key in ("TESTING", "INSTANCE_PATH", "DATABASE_URL", "INDEX_DIR", "INDEXER_THREAD")
        }
    )
    try:
        assert upgraded.extensions["registry.index"].stale
        output = upgraded.test_cli_runner().invoke(args=["init-db"]).output
        assert "rebuilt it: 6 agencies" in output, output
        with upgraded.test_request_context():
            found = search(
                connection=session.connection(),
                index=upgraded.extensions["registry.index"],
                text="Del Al Associates",
                on=today(),
            )
        assert top(found) == "Del-Al Associates, Inc."
    finally:
        upgraded.extensions["registry.index"].close()
        upgraded.extensions["registry.engine"].dispose()


def test_a_phoenix_is_found_by_its_former_name_as_the_same_entity(client, registry):
    page = client.get("/search?q=Fenix+Empleos", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Found: Nuevo Amanecer Laboral" in text
    assert "formerly Fénix Empleos: the same entity under its old name" in text
    assert "verdict-revoked" in text


def test_postgres_search_backend_on_sqlite_is_refused_with_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_SEARCH_BACKEND", "postgres")
    with pytest.raises(RuntimeError, match="needs a PostgreSQL database"):
        create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": tmp_path,
                "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
                "INDEX_DIR": str(tmp_path / "index"),
                "INDEXER_THREAD": False,
            }
        )


def test_common_words_narrow_and_rare_words_find(
    app, session, make_agency, index_now, common_above
):
    """A word in more than COMMON agencies does not find on its own; when every word typed is
    common, the agencies holding all of them are the candidates (both backends)."""
    common_above(2)
    for name in (
        "Servicios Globales Tlaloc",
        "Servicios Globales Quetzal",
        "Servicios Integrales Tlaloc",
        "Globales Maya",
    ):
        make_agency(name)
    index_now()
    assert top(run(app, session, "Servicios Globales")) in {
        "Servicios Globales Tlaloc",
        "Servicios Globales Quetzal",
    }
    both = run(app, session, "Servicios Globales")
    assert {h.agency.name for h in both.hits} == {
        "Servicios Globales Tlaloc",
        "Servicios Globales Quetzal",
    }
    rare = run(app, session, "Servicios Globales Quetzal")
    assert (top(rare), rare.outcome) == ("Servicios Globales Quetzal", "match")


def test_a_name_typed_whole_is_found_however_many_agencies_hold_its_words(
    app, session, make_agency, index_now, common_above
):
    """When every word typed is common and more agencies than a lookup reads hold them all,
    the agency whose name it is still comes first, registered last, its words in another
    order or its legal form left out (both backends)."""
    common_above(2)
    # the oldest hundred are all a lookup of common words reads
    register_older(session, (f"Servicios Globales {n:03d} Norte" for n in range(105)))
    make_agency("Servicios Globales, S.A. de C.V.")
    index_now()
    for typed in ("Servicios Globales, S.A. de C.V.", "GLOBALES SERVICIOS", "Servicios Globales"):
        found = run(app, session, typed)
        assert (top(found), found.outcome) == ("Servicios Globales, S.A. de C.V.", "match"), typed


def test_common_words_typed_as_registered_find_before_their_look_alikes(
    app, session, make_agency, index_now, common_above
):
    """When every word typed is common and more agencies than a lookup reads hold a look-alike
    of one of them ("Servicio" for "Servicios"), the agency holding the words as typed is still
    found (both backends)."""
    common_above(2)
    # more than the hundred a lookup of common words reads
    register_older(session, (f"Servicio Globales {n:03d}" for n in range(105)))
    register_older(session, ("Servicios Maya", "Servicios Tlaloc", "Servicios Quetzal"))
    make_agency("Servicios Globales Colibri")
    index_now()
    found = run(app, session, "Servicios Globales")
    assert "Servicios Globales Colibri" in {h.agency.name for h in found.hits}
    assert top(found) == "Servicios Globales Colibri"


def test_common_words_no_agency_holds_as_typed_find_their_look_alikes(
    app, session, make_agency, index_now, common_above
):
    """Common words that no agency holds together as typed still find the agencies holding
    them give or take a typo ("Servicios Norte" finds "Servicio Norte"; both backends)."""
    common_above(2)
    register_older(session, ("Servicios Maya", "Servicios Tlaloc", "Servicios Quetzal"))
    register_older(session, ("Norte Uno", "Norte Dos", "Norte Tres"))
    make_agency("Servicio Norte")
    index_now()
    found = run(app, session, "Servicios Norte")
    assert top(found) == "Servicio Norte"


def test_y_written_i_finds_the_agency_when_its_words_are_common(
    app, session, make_agency, index_now, common_above
):
    """ "Constructora i Urbanizadora" is "Constructora y Urbanizadora" (Catalan's "and", and
    how "y" sounds): the lone "i" is a stopword, not a word the agency must hold, which at a
    million agencies (where "i" is held by hundreds) left no candidate at all (both backends)."""
    common_above(2)
    register_older(
        session,
        (
            "Constructora Baja",
            "Constructora Alta",
            "Urbanizadora Baja",
            "Urbanizadora Alta",
            "Fondo Norte I",
            "Fondo Sur I",
            "Fondo Este I",
        ),
    )
    make_agency("Constructora y Urbanizadora, S.A. de C.V.")
    index_now()
    found = run(app, session, "constructora i urbanizadora")
    assert (top(found), found.outcome) == ("Constructora y Urbanizadora, S.A. de C.V.", "match")


def test_what_a_whoosh_process_keeps_of_terms_no_one_holds_stays_bounded(
    app, session, make_agency, index_now, monkeypatch
):
    """Each lookup reads terms no agency holds (a name typed whole, a typo's sound): keeping
    them costs memory too, and a worker answering months of distinct queries must not grow
    without bound."""
    from registry.search import whoosh_index

    if app.extensions["registry.index"].name != "whoosh":
        pytest.skip("what a Whoosh process keeps")
    monkeypatch.setattr(whoosh_index._Segment, "POSTINGS_KEPT", 2_000)
    make_agency("Agencia Colibri")
    index_now()
    for n in range(300):
        run(app, session, f"Quetzalcoatl Tonatiuh {n} Xochipilli")
    segments = app.extensions["registry.index"].index._segments.values()
    assert segments and all(len(s._postings) < 100 for s in segments)


def test_a_new_word_is_found_by_its_typos_once_indexed(app, session, make_agency, index_now):
    """Typo neighbourhoods a backend keeps between lookups are refreshed when a word enters the
    index: a misspelling searched before the agency existed finds it afterwards."""
    make_agency("Agencia Colibri")
    index_now()
    assert top(run(app, session, "Tlaxcalx")) is None
    make_agency("Empleos Tlaxcala")
    index_now()
    assert top(run(app, session, "Tlaxcalx")) == "Empleos Tlaxcala"


def test_a_list_of_results_shows_what_is_committed_not_what_a_process_kept(
    app, client, session, make_agency, make_authority, index_now
):
    """Each process keeps the records it listed (registry.agencies.listing); a sanction or a
    withdrawal committed elsewhere (another session, another app server) shows in the next
    list at once, without reindexing."""
    from registry.models import Sanction

    agency = make_agency("Reclutadora Sol Naciente", licence=("MX-SN-1", "active", FUTURE))
    index_now()

    def first():
        results = client.get("/api/v1/search?q=Sol+Naciente").get_json()["results"]
        return results[0]["verdict"]["code"] if results else None

    assert first() == "licensed"
    assert first() == "licensed"  # served from what the process kept
    session.add(
        Sanction(
            agency_id=agency.id,
            authority=make_authority(),
            type="ban",
            starts_on=date(2020, 1, 1),
            decision_ref="B-1",
        )
    )
    session.commit()
    assert first() == "banned"
    page = client.get("/search?q=Sol+Naciente").get_data(as_text=True)
    assert "Reclutadora Sol Naciente" in page and 'class="verdict verdict-banned"' in page
    stored = session.get(Agency, agency.id)
    stored.listing = "reported"  # withdrawn from public view
    session.add(stored)
    session.commit()
    assert first() is None


def test_a_query_asked_again_is_ranked_once_until_the_index_changes(
    app, client, registry, make_agency, index_now, monkeypatch
):
    """A flood of one lookup (a scam in the news) reads and ranks the candidates once per
    process while the index is unchanged; an agency indexed since, here or by any other
    process, is in the very next answer."""
    index = app.extensions["registry.index"]
    read = []
    candidates = index.candidates
    monkeypatch.setattr(
        index,
        "candidates",
        lambda *args, **kwargs: read.append(args) or candidates(*args, **kwargs),
    )
    url = "/api/v1/search?q=Servicios+Consulares+Integrales"
    first = client.get(url).get_json()
    assert first["results"][0]["name"] == "Servicios Consulares Integrales del Norte"
    assert client.get(url).get_json() == first
    assert client.get(url.replace("/api/v1", "")).status_code == 200
    assert len(read) == 1
    assert client.get(url + "&country=GT").get_json()["results"] == []  # another question
    assert len(read) == 2
    make_agency("Servicios Consulares Integrales del Sur", kind="consultant")
    assert client.get(url).get_json() == first  # committed, not yet indexed
    index_now()
    names = [r["name"] for r in client.get(url).get_json()["results"]]
    assert "Servicios Consulares Integrales del Sur" in names and len(read) == 3


def test_the_rankings_a_process_keeps_are_bounded(app, registry):
    from registry.search.matching import parse_query
    from registry.search.rankings import RankingCache

    rankings = RankingCache(size=2)
    with app.app_context():
        for text in ("Global Manpower", "Globe Manpower", "Del Al", "Global Manpower"):
            rankings.ranked(get_index(), parse_query(text), country=None, kind=None)
    assert len(rankings) == 2


def test_a_kept_verdict_follows_the_date(app, session, make_agency, index_now):
    from registry.search import get_listing

    make_agency("Enlace Laboral Pacífico", licence=("MX-EP-1", "active", date(2030, 6, 30)))
    index_now()
    with app.test_request_context():

        def code_on(day):
            result = search(
                connection=session.connection(),
                index=get_index(),
                text="Enlace Laboral Pacifico",
                on=day,
                listing=get_listing(),
            )
            return result.hits[0].verdict.code

        assert code_on(date(2030, 6, 30)) == "licensed"
        assert code_on(date(2030, 7, 1)) == "expired"
        assert code_on(date(2030, 6, 30)) == "licensed"


def test_the_records_a_process_keeps_are_bounded(app, session, make_agency):
    from registry.agencies.listing import ListingCache

    ids = [make_agency(f"Agencia Número {n}").id for n in range(5)]
    listing = ListingCache(size=3)
    loaded = listing.load(session.connection(), ids, today())
    assert sorted(loaded) == ids
    assert len(listing) == 3


def test_a_word_that_becomes_common_stops_finding_after_the_next_drain(
    app, session, make_agency, index_now, common_above
):
    """What a process keeps of the index (word counts, on PostgreSQL) follows every change: a
    word held by more agencies than COMMON since the last drain only narrows."""
    from registry.search import matching

    common_above(2)
    first = make_agency("Horizonte Azul")
    index_now()

    def candidates(text):
        with app.app_context():
            return {c.agency_id for c in get_index().candidates(matching.parse_query(text))[1]}

    assert candidates("Horizonte Azul") == {first.id}
    others = {make_agency("Horizonte Rojo").id, make_agency("Horizonte Verde").id}
    assert candidates("Horizonte Rojo") == {first.id}  # not drained yet
    index_now()
    assert candidates("Horizonte Azul") == {first.id}  # horizonte is common now: azul finds
    assert candidates("Horizonte Verde Rojo") == others


def test_among_many_found_by_a_rare_word_the_common_words_typed_count(
    app, session, make_agency, index_now, common_above
):
    """More agencies share the rare word than a lookup takes: those also holding the common
    words typed come first (both backends pick their candidates the same way)."""
    from registry.search import matching

    common_above(6)  # a word and its sound key count twice: tlaloc is held 6 times, servicios 8
    for name in (
        "Tlaloc Uno",
        "Tlaloc Dos",
        "Servicios Maya",
        "Servicios Quetzal",
        "Servicios Olmeca",
    ):
        make_agency(name)
    wanted = make_agency("Servicios Tlaloc")  # the newest: last on a tie
    index_now()
    with app.app_context():
        _, found = get_index().candidates(matching.parse_query("Servicios Tlaloc"), limit=2)
    assert wanted.id in {c.agency_id for c in found}


def test_typo_neighbours_are_every_word_within_the_budget_and_only_those():
    """Words.near narrows the words to check by the letter pairs they share with the word
    typed; it must find exactly what comparing with every word finds: typos of each kind
    (a letter changed, dropped, added, two swapped, two typos in a long word)."""
    import random
    import string

    from rapidfuzz.distance import OSA

    from registry.search.matching import word_budget
    from registry.search.vocabulary import Words

    rng = random.Random(7)
    stems = [
        "agencia",
        "servicios",
        "horizonte",
        "manpower",
        "reclutamiento",
        "global",
        "internacional",
        "empleos",
        "laboral",
        "consultores",
        "migracion",
        "visas",
        "trabajo",
        "norte",
        "pacifico",
        "caribe",
        "andina",
        "talento",
        "overseas",
    ]

    def typo(word: str) -> str:
        i = rng.randrange(len(word))
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
        if kind == 1:
            return word[:i] + word[i + 1 :]
        if kind == 2:
            return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
        return (
            word[:i] + word[i + 1 : i + 2] + word[i] + word[i + 2 :]
            if i + 1 < len(word)
            else word + "s"
        )

    vocabulary = sorted({typo(w) if rng.random() < 0.7 else w for w in stems * 40} | set(stems))
    words = Words(vocabulary)
    asked = stems + [typo(w) for w in stems * 5] + [typo(typo(w)) for w in stems * 5]
    for word in asked:
        budget = word_budget(len(word))
        expected = {w for w in vocabulary if OSA.distance(word, w) <= budget}
        assert set(words.near(word)) == expected, word
    assert sum(len(words.near(w)) > 1 for w in asked) > len(asked) / 2  # typos were found


def test_postings_of_several_terms_merge_in_order_without_repeats():
    """What a lookup reads for a word with its typo neighbours and sound: the documents holding
    any of them, once each and in order, as NumPy's unique would give."""
    import numpy as np

    from registry.search.whoosh_index import _union

    rng = np.random.default_rng(7)
    for _ in range(100):
        postings = [
            np.unique(rng.integers(0, 5000, rng.integers(0, 2000))).astype(np.int32)
            for _ in range(rng.integers(0, 5))
        ]
        merged = _union(postings)
        expected = np.unique(np.concatenate(postings)) if postings else np.empty(0, dtype=np.int32)
        assert merged.dtype == np.int32 and merged.tolist() == expected.tolist()
