"""A small, realistic inventory and catalog for API and open-data tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from inventory.agents.models import Agent, Membership, MembershipSource, MembershipStatus
from inventory.catalog.models import (
    Category,
    Comment,
    Instance,
    ReferentDeclaration,
    Software,
    SoftwareStatus,
    UserDeclaration,
)
from inventory.forges.models import (
    Account,
    AccountCrawl,
    CrawlRun,
    CrawlStatus,
    Forge,
    Repository,
)
from inventory.organisations.models import Organisation
from tests.conftest import inventory_refresh

T0 = datetime(2024, 1, 1, tzinfo=UTC)
PRIVATE_EMAIL = "private.referent@dinum.gouv.fr"
PRIVATE_USER_EMAIL = "discreet.user@interieur.gouv.fr"
PRIVATE_COMMENTER_EMAIL = "quiet.commenter@dinum.gouv.fr"
PUBLIC_EMAIL = "public.referent@dinum.gouv.fr"
FORGE_PUBLIC_EMAIL = "contact@etalab.example"


def organisation(slug: str, name: str, **fields) -> Organisation:
    return Organisation.objects.create(slug=slug, name=name, **fields)


def forge(host: str = "github.com", kind: str = "github", **fields) -> Forge:
    api = "https://api.github.com" if kind == "github" else f"https://{host}"
    return Forge.objects.create(host=host, kind=kind, api_url=api, **fields)


def account(forge: Forge, login: str, **fields) -> Account:
    fields.setdefault("kind", "org" if login else "instance")
    fields.setdefault("html_url", f"https://{forge.host}/{login}" if login else "")
    return Account.objects.create(forge=forge, login=login, **fields)


def repository(account: Account, name: str, *, number: int, **fields) -> Repository:
    owner = fields.pop("owner", account.login or "group")
    fields.setdefault("first_seen_at", T0 + timedelta(days=number))
    fields.setdefault("last_seen_at", T0 + timedelta(days=400))
    fields.setdefault("updated_at", T0 + timedelta(days=number))
    return Repository.objects.create(
        forge=account.forge,
        account=account,
        remote_id=str(1000 + number),
        owner=owner,
        name=name,
        full_name=f"{owner}/{name}",
        html_url=f"https://{account.forge.host}/{owner}/{name}",
        **fields,
    )


@dataclass
class World:
    ministry: Organisation
    dinum: Organisation
    interieur: Organisation
    github: Forge
    gitlab: Forge
    etalab: Account
    orphan: Account
    instance: Account
    repositories: list[Repository]
    run: CrawlRun
    private_agent: Agent
    public_agent: Agent
    user_agent: Agent
    commenter: Agent
    software: Software
    other_software: Software
    proposed: Software
    instance_of_software: Instance
    comment: Comment


def build_world() -> World:
    ministry = organisation("premier-ministre", "Premier ministre", is_top=True)
    dinum = organisation(
        "dinum",
        "Direction interministérielle du numérique",
        acronym="DINUM",
        ministry=ministry,
        parent=ministry,
    )
    interieur = organisation("interieur", "Ministère de l'Intérieur", is_top=True)
    github = forge()
    gitlab = forge("gitlab.example.fr", "gitlab", organisation=interieur, whole_instance=True)
    etalab = account(
        github,
        "etalab",
        organisation=dinum,
        name="Etalab",
        public_email=FORGE_PUBLIC_EMAIL,
        followers=12,
    )
    orphan = account(github, "orphan-org", name="No organisation yet")
    instance = account(gitlab, "", kind="instance")
    Account.objects.create(forge=github, login="proposal", kind="org", state="proposed")
    repositories = [
        repository(
            etalab,
            "udata",
            number=1,
            language="Python",
            license_spdx="AGPL-3.0",
            topics=["open-data", "python"],
            stars=50,
            forks=20,
            subscribers=5,
            description="Open data portal",
            has_readme=True,
            has_contributing=True,
            has_publiccode=True,
        ),
        repository(
            etalab,
            "old-fork",
            number=2,
            language="JavaScript",
            license_spdx="MIT",
            is_fork=True,
            is_archived=True,
            description="",
            stars=1,
        ),
        repository(orphan, "tool", number=3, language="Go", stars=3, description="Outil é"),
        repository(
            instance,
            "portail",
            number=4,
            owner="dsic",
            language="PHP",
            license_spdx="GPL-3.0",
            stars=0,
            description="Portail interne",
        ),
        repository(
            etalab,
            "vanished",
            number=5,
            language="Python",
            gone_at=T0 + timedelta(days=300),
            description="Gone",
        ),
    ]
    run = CrawlRun.objects.create(
        started_at=T0 + timedelta(days=400),
        finished_at=T0 + timedelta(days=400, hours=1),
        status=CrawlStatus.PARTIAL,
        trigger="schedule",
        accounts_total=2,
    )
    AccountCrawl.objects.create(
        run=run,
        account=etalab,
        started_at=run.started_at,
        status=CrawlStatus.SUCCESS,
        repositories_seen=3,
        requests=4,
    )
    AccountCrawl.objects.create(
        run=run,
        account=orphan,
        started_at=run.started_at,
        status=CrawlStatus.FAILED,
        error_kind="not_found",
        error="Account not found",
    )
    private_agent = Agent.objects.create_user(
        email=PRIVATE_EMAIL, first_name="Priv", last_name="Ate", organisation=dinum
    )
    public_agent = Agent.objects.create_user(
        email=PUBLIC_EMAIL,
        first_name="Pub",
        last_name="Lic",
        organisation=dinum,
        contact_public=True,
    )
    user_agent = Agent.objects.create_user(email=PRIVATE_USER_EMAIL, organisation=interieur)
    commenter = Agent.objects.create_user(
        email=PRIVATE_COMMENTER_EMAIL, first_name="Quiet", organisation=dinum
    )
    # Established members of their organisations (rights come from approved memberships).
    Membership.objects.bulk_create(
        Membership(
            agent=member,
            organisation=member.organisation,
            status=MembershipStatus.APPROVED,
            source=MembershipSource.CURATOR,
        )
        for member in (private_agent, public_agent, user_agent, commenter)
    )
    category = Category.objects.create(name="Bureautique", slug="bureautique")
    software = Software.objects.create(
        name="LibreOffice",
        slug="libreoffice",
        function="Suite bureautique",
        license="MPL-2.0",
        status=SoftwareStatus.RECOMMENDED,
        keywords=["office"],
        is_desktop=True,
        referenced_since=T0,
    )
    software.categories.add(category)
    other = Software.objects.create(
        name="Ancien logiciel",
        slug="ancien",
        function="Remplacé",
        license="GPL-2.0-only",
        status=SoftwareStatus.DEREFERENCED,
        dereferenced_at=T0 + timedelta(days=10),
        dereferencing_reason="Plus maintenu",
    )
    proposed = Software.objects.create(name="Proposé", slug="propose", license="MIT")
    ReferentDeclaration.objects.create(
        agent=private_agent, software=software, organisation=dinum, is_technical_expert=True
    )
    ReferentDeclaration.objects.create(agent=public_agent, software=software, organisation=dinum)
    UserDeclaration.objects.create(agent=user_agent, software=software, organisation=interieur)
    UserDeclaration.objects.create(agent=private_agent, software=other, organisation=dinum)
    instance_of_software = Instance.objects.create(
        software=software,
        organisation=dinum,
        target_audience="Agents",
        public_url="https://office.example.gouv.fr",
        added_by=private_agent,
    )
    comment = Comment.objects.create(
        software=software,
        author=commenter,
        body="Très *bien*",
        body_html="<p>Très <em>bien</em></p>",
    )
    inventory_refresh()
    return World(
        ministry=ministry,
        dinum=dinum,
        interieur=interieur,
        github=github,
        gitlab=gitlab,
        etalab=etalab,
        orphan=orphan,
        instance=instance,
        repositories=repositories,
        run=run,
        private_agent=private_agent,
        public_agent=public_agent,
        user_agent=user_agent,
        commenter=commenter,
        software=software,
        other_software=other,
        proposed=proposed,
        instance_of_software=instance_of_software,
        comment=comment,
    )
