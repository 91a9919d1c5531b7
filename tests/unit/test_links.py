"""Links by reference ({aktivitet}, {kategori}, {soegeord}): found with their lines, and a clear
Danish message for each name the guide does not have."""

from __future__ import annotations

from aktivsammen.links import Reference, line_of, reference_problems, references, unknown_reference

TEXT = """\
Title: Bevæg dig

Prøv [Stolegymnastik i Egtved]({aktivitet}stolegymnastik-egtved) eller
[vandgymnastik]({aktivitet}vandgymnastik-give#tider). Se [motion]({kategori}motion).
Se {site}kategori/motion/ og {filename}om.md, som Pelican selv klarer.
"""

KNOWN = {
    "aktivitet": {"stolegymnastik-egtved", "stolegymnastik-nord", "gaaklub-vejle-nord"},
    "kategori": {"motion", "dans"},
    "soegeord": {"kortspil"},
}


def test_references_with_their_lines():
    assert list(references(TEXT)) == [
        Reference("aktivitet", "stolegymnastik-egtved", 3),
        Reference("aktivitet", "vandgymnastik-give", 4),
        Reference("kategori", "motion", 4),
    ]
    assert [ref.line for ref in references(TEXT, first_line=10)] == [12, 13, 13]


def test_each_unknown_name_is_a_problem_on_its_line():
    [problem] = reference_problems(TEXT, "content/pages/motion-65.md", KNOWN)
    assert str(problem) == (
        "content/pages/motion-65.md:4: (tekst): linket {aktivitet}vandgymnastik-give peger på en aktivitet, "
        "der ikke findes: der er ingen fil activities/vandgymnastik-give.yaml (er den omdøbt eller slettet? "
        "skriv filnavnet uden .yaml)"
    )


def test_a_renamed_activity_is_suggested_by_its_new_name():
    problem = unknown_reference(Reference("aktivitet", "gaaklub", 7), "om.md", KNOWN["aktivitet"])
    assert "mente du 'gaaklub-vejle-nord'?" in problem.message
    typo = unknown_reference(Reference("aktivitet", "stolegymnastik-egtvd", 7), "om.md", KNOWN["aktivitet"])
    assert "mente du 'stolegymnastik-egtved' eller 'stolegymnastik-nord'?" in typo.message


def test_vocabularies_list_what_is_allowed_and_fields_are_named():
    problem = unknown_reference(Reference("kategori", "danse", 2), "om.md", KNOWN["kategori"])
    assert problem.message == (
        "linket {kategori}danse peger på en kategori, der ikke findes: der er intet id 'danse' i "
        "data/categories.yaml (mente du 'dans'? tilladt: dans, motion)"
    )
    field = unknown_reference(Reference("aktivitet", "x", 9, "activities[1]"), "p.md", ())
    assert str(field) == (
        "p.md:9: activities[1]: 'x' er ikke en aktivitet i guiden: der er ingen fil activities/x.yaml "
        "(er den omdøbt eller slettet? skriv filnavnet uden .yaml)"
    )
    empty = unknown_reference(Reference("soegeord", "", 1), "p.md", KNOWN["soegeord"])
    assert empty.message == "linket {soegeord} mangler et navn (fx {soegeord}kortspil)"


def test_line_of():
    assert line_of("a\nb {x}y\nc", "{x}y") == 2
    assert line_of("a", "missing") == 1
