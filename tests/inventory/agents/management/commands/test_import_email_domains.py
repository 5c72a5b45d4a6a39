"""``manage.py import_email_domains``: the real lists in, idempotent, bad lines reported."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inventory.agents.models import EmailDomain


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_email_domains", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_shipped_lists_load_with_their_source_and_a_second_run_changes_nothing():
    out, err = run()
    count = EmailDomain.objects.count()
    # 2,991 lines, minus duplicates across lists and the three with a final dot.
    assert count == 2631
    assert f"{count} domains added, 0 already present, 3 invalid lines skipped." in out
    assert "domaines-organismes-publics.txt:674: not a domain name" in err
    assert EmailDomain.objects.get(domain="ac-versailles.fr").source == "academies"
    assert EmailDomain.objects.get(domain="ageps.aphp.fr").source == "aphp"
    assert EmailDomain.objects.get(domain="gouv.fr").source == "sill-extra-domains"
    assert EmailDomain.objects.get(domain="chu-toulouse.fr").active  # was "chu-Toulouse.fr"
    before = list(EmailDomain.objects.order_by("domain").values_list("domain", "source", "active"))

    out, _ = run()

    assert f"0 domains added, {count} already present" in out
    after = list(EmailDomain.objects.order_by("domain").values_list("domain", "source", "active"))
    assert after == before


@pytest.mark.django_db
def test_a_new_run_keeps_what_curators_changed(tmp_path):
    EmailDomain.objects.create(domain="gouv.fr", source="curators", active=False, note="audit")
    (tmp_path / "extra.txt").write_text("gouv.fr\nville-exemple.fr\n", encoding="utf-8")

    out, _ = run(str(tmp_path))

    kept = EmailDomain.objects.get(domain="gouv.fr")
    assert (kept.source, kept.active, kept.note) == ("curators", False, "audit")
    assert EmailDomain.objects.get(domain="ville-exemple.fr").source == "extra"
    assert "1 domains added, 1 already present, 0 invalid lines skipped." in out


@pytest.mark.django_db
def test_invalid_lines_are_reported_and_valid_ones_kept(tmp_path):
    (tmp_path / "mixed.txt").write_text(
        "# a comment\n\nMairie-Exemple.FR  \nnot a domain\nagent@gouv.fr\nville.fr # inline\n",
        encoding="utf-8",
    )

    out, err = run(str(tmp_path))

    assert sorted(EmailDomain.objects.values_list("domain", flat=True)) == [
        "mairie-exemple.fr",
        "ville.fr",
    ]
    assert "mixed.txt:4: not a domain name, skipped: 'not a domain'" in err
    assert "mixed.txt:5: not a domain name, skipped: 'agent@gouv.fr'" in err
    assert "2 invalid lines skipped" in out


@pytest.mark.django_db
def test_a_folder_without_lists_is_an_error_and_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="No \\*.txt domain list"):
        run(str(tmp_path))
    with pytest.raises(CommandError, match="is not a directory"):
        run(str(tmp_path / "missing"))
    assert not EmailDomain.objects.exists()
