"""accounts_import on broken files: each invalid entry is located and skipped, valid ones are kept."""

import pytest

from inventory.core.exceptions import ApplicationError
from inventory.core.paths import shared_data_dir
from inventory.forges.models import Account, AccountState, Forge
from inventory.forges.services.accounts_writers import accounts_import

pytestmark = pytest.mark.django_db

CURRENT = shared_data_dir() / "codegouvfr" / "comptes-organismes-publics.yml"

VALID_FORGES = """\
github.com:
  forge: github
  owners:
    etalab:
      pso_id: db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8
    betagouv:

gitlab.example.fr:
  forge: gitlab
  pso_id: 6c330fd9-0406-4a5f-9e40-c801716a6a24
"""


def write(tmp_path, text: str, name: str = "accounts.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def reasons(report) -> dict[str, str]:
    return {problem.location: problem.reason for problem in report.rejected}


def test_truncated_file_keeps_every_entry_before_the_cut_and_rejects_the_cut_one(tmp_path):
    text = CURRENT.read_text(encoding="utf-8")
    cut = text.index("b-5762e2cb06b8", text.index("etalab-datalab"))  # mid pso_id, first owner
    end = text.index("gitlab.ow2.org:")
    path = write(
        tmp_path, text[:cut] + "\n" + text[end : end + 200] + '\nbroken.example.fr:\n  forge: "gitl'
    )

    report = accounts_import(source=path)

    assert Forge.objects.filter(host__in=["gitlab.com", "gitlab.ow2.org"]).count() == 2
    assert not Forge.objects.filter(host="broken.example.fr").exists()
    assert not Account.objects.filter(login="etalab-datalab").exists()
    problems = reasons(report)
    assert (
        "is not an Annuaire identifier"
        in problems["accounts.yml:45 (gitlab.com › owners › etalab-datalab)"]
    )
    [syntax] = [location for location, reason in problems.items() if "invalid YAML" in reason]
    assert syntax.startswith("accounts.yml:") and int(syntax.split(":")[1]) > 55


def test_wrong_types_are_rejected_each_with_its_key_path(tmp_path):
    path = write(
        tmp_path,
        VALID_FORGES
        + """
listed.example.fr: [gitlab]
owners.example.fr:
  forge: gitlab
  owners: everyone
github.com.example.fr:
  forge: github
  owners:
    good-owner:
    bad-owner: [1, 2]
    numeric-pso:
      pso_id: 42
""",
    )

    report = accounts_import(source=path)

    problems = reasons(report)
    assert (
        "expected a mapping of fields, got list" in problems["accounts.yml:12 (listed.example.fr)"]
    )
    assert "owners: expected a mapping" in problems["accounts.yml:13 (owners.example.fr)"]
    assert "got list" in problems["accounts.yml:20 (github.com.example.fr › owners › bad-owner)"]
    assert (
        "must be a text identifier"
        in problems["accounts.yml:21 (github.com.example.fr › owners › numeric-pso)"]
    )
    assert set(Account.objects.values_list("forge__host", "login")) == {
        ("github.com", "etalab"),
        ("github.com", "betagouv"),
        ("gitlab.example.fr", ""),
        ("github.com.example.fr", "good-owner"),
    }


def test_bad_dates_reject_only_their_entry(tmp_path):
    path = write(
        tmp_path,
        VALID_FORGES
        + """
impossible.example.fr:
  forge: gitlab
  ignored_since: 2024-13-45
words.example.fr:
  forge: gitlab
  ignored_since: last summer
""",
    )

    report = accounts_import(source=path)

    problems = reasons(report)
    assert "'2024-13-45' is not a date" in problems["accounts.yml:12 (impossible.example.fr)"]
    assert "'last summer' is not a date" in problems["accounts.yml:15 (words.example.fr)"]
    assert Forge.objects.count() == 2


def test_unknown_forge_kind_bad_host_bad_url_and_bad_pso_id_are_reported(tmp_path):
    path = write(
        tmp_path,
        VALID_FORGES
        + """
bitbucket.example.fr:
  forge: bitbucket
nokind.example.fr:
  pso_id: 6c330fd9-0406-4a5f-9e40-c801716a6a24
not a host:
  forge: gitlab
policy.example.fr:
  forge: gitlab
  floss_policy: see our intranet
short-pso.example.fr:
  forge: gitlab
  pso_id: 6c330fd9
""",
    )

    report = accounts_import(source=path)

    problems = reasons(report)
    assert "unknown forge kind 'bitbucket'" in problems["accounts.yml:12 (bitbucket.example.fr)"]
    assert "forge: missing" in problems["accounts.yml:14 (nokind.example.fr)"]
    assert "is not a forge host name" in problems["accounts.yml:16 (not a host)"]
    assert (
        "floss_policy: 'see our intranet' is not an http(s) URL"
        in problems["accounts.yml:18 (policy.example.fr)"]
    )
    assert "is not an Annuaire identifier" in problems["accounts.yml:21 (short-pso.example.fr)"]
    assert set(Forge.objects.values_list("host", flat=True)) == {"github.com", "gitlab.example.fr"}


def test_duplicate_forges_and_owners_keep_the_first_and_report_the_others(tmp_path):
    path = write(
        tmp_path,
        VALID_FORGES
        + """
gitlab.example.fr:
  forge: gitea
framagit.org:
  forge: gitlab
  owners:
    etalab:
    Etalab:
""",
    )

    report = accounts_import(source=path)

    problems = reasons(report)
    assert "duplicate of the entry at line 8" in problems["accounts.yml:12 (gitlab.example.fr)"]
    assert (
        "duplicate of the entry at accounts.yml:17"
        in problems["accounts.yml:18 (framagit.org › owners › Etalab)"]
    )
    assert Forge.objects.get(host="gitlab.example.fr").kind == "gitlab"
    assert list(
        Account.objects.filter(forge__host="framagit.org").values_list("login", flat=True)
    ) == ["etalab"]


def test_empty_owners_is_rejected_rather_than_read_as_a_whole_instance(tmp_path):
    path = write(tmp_path, "gitlab.com:\n  forge: gitlab\n  owners:\n")

    report = accounts_import(source=path)

    assert (
        "leave the key out to crawl the whole instance"
        in reasons(report)["accounts.yml:1 (gitlab.com)"]
    )
    assert not Forge.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>\n",
        b"- github.com\n- gitlab.com\n",
        b"",
        b"Sept 2024: {{{ unbalanced\n  ]]] nothing here\n",
        b"a5156-6dc0: Premier ministre\nbbbb: Autre\n",
    ],
    ids=["binary", "html", "list", "empty", "garbage", "not-hosts"],
)
def test_file_that_is_not_a_registry_gives_one_clear_error_and_changes_nothing(tmp_path, content):
    accounts_import(source=write(tmp_path, VALID_FORGES, "good.yml"))
    before = list(Account.objects.order_by("pk").values())
    path = tmp_path / "bad.yml"
    path.write_bytes(content)

    with pytest.raises(ApplicationError) as error:
        accounts_import(source=path)

    assert error.value.message.startswith("bad.yml")
    assert "accounts" in error.value.message
    assert list(Account.objects.order_by("pk").values()) == before


def test_invalid_entry_never_changes_what_is_stored_for_it(tmp_path):
    accounts_import(source=write(tmp_path, VALID_FORGES, "good.yml"))
    broken = VALID_FORGES.replace("forge: github", "forge: bitbucket").replace(
        "pso_id: 6c330fd9-0406-4a5f-9e40-c801716a6a24",
        "pso_id: 6c330fd9-0406-4a5f-9e40-c801716a6a24\n  ignored_since: soon",
    )

    report = accounts_import(source=write(tmp_path, broken, "broken.yml"))

    assert len(report.rejected) == 2
    assert report.count("updated") == 0
    assert Account.objects.filter(state=AccountState.ACTIVE).count() == 3
    assert Forge.objects.get(host="github.com").kind == "github"
    assert Forge.objects.get(host="gitlab.example.fr").ignored_since is None


def test_unknown_fields_are_ignored_with_a_warning(tmp_path):
    report = accounts_import(
        source=write(tmp_path, VALID_FORGES + "  contact: someone@example.fr\n")
    )

    [warning] = report.warnings
    assert warning.location == "accounts.yml:11 (gitlab.example.fr › contact)"
    assert Forge.objects.count() == 2


def test_owner_logins_that_yaml_would_read_as_booleans_or_numbers_are_kept_as_written(tmp_path):
    path = write(
        tmp_path, "gitlab.example.fr:\n  forge: gitlab\n  owners:\n    no:\n    2024:\n    1e3:\n"
    )

    report = accounts_import(source=path)

    assert report.rejected == []
    assert sorted(Account.objects.values_list("login", flat=True)) == ["1e3", "2024", "no"]


def test_owners_given_as_a_list_are_read_like_a_mapping(tmp_path):
    path = write(
        tmp_path,
        "gitlab.example.fr:\n  forge: gitlab\n  owners:\n    - team-a\n"
        "    - team-b:\n        pso_id: 6c330fd9-0406-4a5f-9e40-c801716a6a24\n",
    )

    report = accounts_import(source=path)

    assert report.rejected == []
    team_b = Account.objects.get(login="team-b")
    assert team_b.organisation.pso_id == "6c330fd9-0406-4a5f-9e40-c801716a6a24"
    assert Account.objects.filter(login="team-a", organisation=None).exists()
