"""dependencies.csv|json|ndjson with schema and manifest, and the former code.gouv.fr libraries file."""

from __future__ import annotations

import csv
import io
import json

from inventory.opendata.services import exports_generate


def test_dependencies_are_published_in_every_format_with_schema_and_manifest(client, crawled):
    result = exports_generate()
    folder = result.folder
    files = {entry["name"]: entry for entry in result.manifest["files"]}
    for name in ("dependencies.csv", "dependencies.json", "dependencies.ndjson",
                 "dependencies.csv.gz", "dependencies.schema.json"):  # fmt: skip
        assert name in files, name
    rows = list(csv.DictReader(io.StringIO((folder / "dependencies.csv").read_text())))
    assert files["dependencies.csv"]["rows"] == len(rows) == 9
    log4j = next(row for row in rows if row["package"] == "org.apache.logging.log4j:log4j-core")
    assert log4j == log4j | {"repository": "dgfip/impots", "ecosystem": "maven", "forge": "gitlab.com",
                             "organisation": "dgfip", "ministry": "economie", "requirement": "2.14.1",
                             "scope": "runtime", "direct": "true", "manifest": "pom.xml"}  # fmt: skip
    as_json = json.loads((folder / "dependencies.json").read_text())
    assert len(as_json) == 9 and {"package": "react", "resolved_version": "18.3.1"}.items() <= next(
        item for item in as_json if item["repository"] == "dgfip/portail").items()  # fmt: skip
    schema = json.loads((folder / "dependencies.schema.json").read_text())
    assert [field["name"] for field in schema["fields"]][:3] == [
        "repository_id",
        "repository",
        "repository_url",
    ]
    response = client.get("/data/dependencies.ndjson")
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == 9


def test_libraries_compatibility_file_lists_the_packages_repositories_publish(crawled):
    folder = exports_generate().folder
    libraries = json.loads((folder / "codegouvfr-libraries.json").read_text())
    by_name = {library["name"]: library for library in libraries}
    assert set(by_name) == {
        "fr.dgfip:impots",
        "app",
    }  # package.json names "app"; pom.xml its coordinates
    impots = by_name["fr.dgfip:impots"]
    assert impots["platform"] == "Maven" and impots["latest_stable_release_number"] == "2.0"
    assert impots["library_manager_url"] == "https://central.sonatype.com/artifact/fr.dgfip/impots"
    assert impots["repository_url"].endswith("/dgfip/impots")
    assert all(isinstance(value, str) for value in impots.values())  # the former file's types
    assert (folder / "codegouvfr-libraries.csv").exists()
