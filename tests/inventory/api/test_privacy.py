"""No agent's e-mail or name leaks: every API endpoint (from the schema), every download file
and every feed shows only the e-mails their owners made public (and forges' public e-mails)."""

import gzip
import re

import pytest
import yaml
from django.test import Client

from inventory.dependencies.models import Dependency, Package
from inventory.opendata.services import exports_generate
from tests.inventory.api.factories import FORGE_PUBLIC_EMAIL, PUBLIC_EMAIL

pytestmark = pytest.mark.django_db
ALLOWED = {PUBLIC_EMAIL, FORGE_PUBLIC_EMAIL}
PRIVATE_NAMES = ("Priv Ate", "Quiet")


def assert_private_data_absent(where: str, text: str) -> None:
    remaining = text
    for allowed in ALLOWED:
        remaining = remaining.replace(allowed, "")
    assert "@" not in remaining, f"{where}: {re.findall(r'.{0,40}@.{0,40}', remaining)[:3]}"
    for name in PRIVATE_NAMES:
        assert name not in text, f"{where} shows {name}"


def api_urls(client, world) -> list[str]:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    values = {
        "/api/v1/repositories/{id}/": [str(r.pk) for r in world.repositories],
        "/api/v1/accounts/{id}/": [str(world.etalab.pk), str(world.orphan.pk)],
        "/api/v1/organisations/{slug}/": ["dinum", "interieur", "premier-ministre"],
        "/api/v1/crawl-runs/{id}/": [str(world.run.pk)],
        "/api/v1/software/{slug}/": ["libreoffice", "ancien"],
        "/api/v1/instances/{id}/": [str(world.instance_of_software.pk)],
        "/api/v1/comments/{id}/": [str(world.comment.pk)],
        "/api/v1/repositories/{id}/dependencies/": [str(r.pk) for r in world.repositories],
        "/api/v1/packages/{ecosystem}/{name}/dependents/": ["npm/react"],
    }
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        if "{" not in path:
            urls.append(path + ("?software=libreoffice" if path == "/api/v1/comments/" else ""))
            continue
        assert path in values, f"add ids for the new endpoint {path} to this test"
        urls += [
            path.replace("{id}", value)
            .replace("{slug}", value)
            .replace("{ecosystem}/{name}", value)
            for value in values[path]
        ]
    return urls


def test_api_endpoints_show_no_private_email_or_name(world):
    react = Package.objects.create(ecosystem="npm", name="react")
    for repository in world.repositories:
        Dependency.objects.create(
            repository=repository, package=react, scope="runtime", manifest="package.json"
        )
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(world.user_agent)
    urls = api_urls(anonymous, world)
    assert len(urls) >= 20
    for client in (anonymous, signed_in):
        for url in urls:
            response = client.get(url)
            expected = 403 if url == "/api/v1/me/declarations/" and client is anonymous else 200
            assert response.status_code == expected, url
            assert_private_data_absent(url, response.content.decode())
    detail = anonymous.get("/api/v1/software/libreoffice/").content.decode()
    assert PUBLIC_EMAIL in detail  # the public referent is shown: the check above is not vacuous


def test_downloads_and_feeds_show_no_private_email_or_name(world):
    manifest = exports_generate().manifest
    client = Client()
    names = [entry["name"] for entry in manifest["files"]] + ["manifest.json"]
    assert len(names) > 30
    for name in names:
        body = b"".join(client.get(f"/data/{name}").streaming_content)
        if name.endswith(".gz"):
            body = gzip.decompress(body)
        assert_private_data_absent(name, body.decode("utf-8"))
    for url in ("/data/", "/data/feeds/repositories.atom", "/data/feeds/catalog.atom"):
        assert_private_data_absent(url, client.get(url).content.decode())
    accounts = b"".join(client.get("/data/accounts.csv").streaming_content).decode()
    assert FORGE_PUBLIC_EMAIL in accounts  # forges' public e-mails are published
