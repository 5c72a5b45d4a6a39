"""accounts_import on our own CSV format: one row per account, a row without login for a whole instance."""

import datetime as dt

import pytest

from inventory.core.exceptions import ApplicationError
from inventory.forges.models import Account, AccountKind, AccountState, Forge, ForgeKind
from inventory.forges.services.accounts_readers import FORMAT_CSV
from inventory.forges.services.accounts_writers import accounts_import

pytestmark = pytest.mark.django_db

HEADER = "forge_host,forge_kind,login,kind,pso_id,organisation_name,floss_policy,ospo_url,ignored_since\n"
ROWS = """\
github.com,github,etalab,org,db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8,Etalab,https://code.gouv.fr/fr/politique,,
github.com,github,jdoe-dinum,user,db2b74d4-4dbc-4d7d-ba1b-5762e2cb06b8,,,,
gitlab.com,gitlab,incubateur-territoires/sub,,da837b24-afa7-46ab-b56a-427dd4bcc159,ANCT,,,
git.example.fr,gitea,,,6c330fd9-0406-4a5f-9e40-c801716a6a24,Cerema,,https://ospo.example.fr,
old.example.fr,gogs,,,,,,,2024-08-09
"""


def test_csv_rows_become_forges_and_accounts_with_their_kinds_and_organisations():
    report = accounts_import(source=HEADER + ROWS)

    assert report.fmt == FORMAT_CSV
    assert report.rejected == []
    etalab = Account.objects.get(forge__host="github.com", login="etalab")
    assert etalab.kind == AccountKind.ORG
    assert etalab.organisation.name == "Etalab"
    assert etalab.floss_policy == "https://code.gouv.fr/fr/politique"
    assert Account.objects.get(login="jdoe-dinum").kind == AccountKind.USER
    subgroup = Account.objects.get(forge__host="gitlab.com")
    assert (subgroup.login, subgroup.kind) == ("incubateur-territoires/sub", AccountKind.GROUP)
    gitea = Forge.objects.get(host="git.example.fr")
    assert (gitea.kind, gitea.whole_instance, gitea.api_url) == (
        ForgeKind.GITEA,
        True,
        "https://git.example.fr/api/v1",
    )
    assert gitea.organisation.name == "Cerema"
    assert gitea.accounts.get().kind == AccountKind.INSTANCE
    old = Account.objects.get(forge__host="old.example.fr")
    assert (old.state, old.ignored_since) == (AccountState.INACTIVE, dt.date(2024, 8, 9))


def test_csv_import_is_idempotent():
    accounts_import(source=HEADER + ROWS)

    report = accounts_import(source=HEADER + ROWS)

    assert report.count("created") == report.count("updated") == 0
    assert report.count("unchanged", "account") == 5


def test_csv_invalid_rows_are_rejected_with_their_line_numbers(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(
        HEADER
        + ROWS
        + "github.com,github,someone,group,,,,,\n"
        + "gitlab.com,gitlab,late,,,,,,31/12/2024\n"
        + "svn.example.fr,subversion,,,,,,,\n"
        + "gitlab.com,gitlab,badpso,,12345,,,,\n"
        + "gitlab.com,gitlab,two words,,,,,,\n"
        + "git.example.fr,gitea,dinum,org,,,,,\n",
        encoding="utf-8",
    )

    report = accounts_import(source=path)

    problems = {problem.location: problem.reason for problem in report.rejected}
    assert "kind 'group' is not one of org, user" in problems["accounts.csv:7 (github.com/someone)"]
    assert "'31/12/2024' is not a date" in problems["accounts.csv:8 (gitlab.com/late)"]
    assert "unknown forge kind 'subversion'" in problems["accounts.csv:9 (svn.example.fr/)"]
    assert "is not an Annuaire identifier" in problems["accounts.csv:10 (gitlab.com/badpso)"]
    assert "is not a login" in problems["accounts.csv:11 (gitlab.com/two words)"]
    assert "crawled whole" in problems["accounts.csv:12 (git.example.fr/dinum)"]
    assert Account.objects.count() == 5


def test_csv_without_its_columns_is_refused_as_a_whole(tmp_path):
    with pytest.raises(ApplicationError, match="missing column"):
        accounts_import(source="host,login\ngithub.com,etalab\n", fmt=FORMAT_CSV)
    assert not Forge.objects.exists()


def test_csv_that_the_csv_reader_cannot_read_is_refused_as_a_whole(tmp_path):
    path = tmp_path / "accounts.csv"
    oversized = '"' + "x" * 200_000 + '"'
    path.write_text(HEADER + ROWS + f"github.com,github,{oversized},,,,,,\n", encoding="utf-8")

    with pytest.raises(ApplicationError, match="accounts.csv:7: not a readable CSV"):
        accounts_import(source=path)
    assert not Forge.objects.exists()


def test_csv_forge_kind_given_on_any_row_applies_to_the_host_and_contradictions_are_warned():
    text = (
        HEADER
        + "git.example.fr,,team-a,,,,,,\ngit.example.fr,gitea,team-b,,,,,,\ngit.example.fr,gogs,team-c,,,,,,\n"
    )

    report = accounts_import(source=text)

    assert Forge.objects.get(host="git.example.fr").kind == ForgeKind.GITEA
    [warning] = report.warnings
    assert warning.location == "<text>:4 (git.example.fr/team-c)"
    assert "contradicts an earlier row" in warning.reason
    assert Account.objects.filter(forge__host="git.example.fr").count() == 3
