"""Writes by signed-in agents: their own declarations, instances and comments.

Permission matrix: anonymous 403, another agent 403, the owner succeeds; session writes need
the CSRF token, token writes do not."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from inventory.catalog.models import Comment, Instance, ReferentDeclaration, UserDeclaration
from tests.conftest import english

pytestmark = pytest.mark.django_db


def test_anonymous_clients_cannot_write(api, world):
    attempts = [
        api.post("/api/v1/software/libreoffice/referent/", {}, format="json"),
        api.delete("/api/v1/software/libreoffice/user/"),
        api.post("/api/v1/instances/", {"software": "libreoffice"}, format="json"),
        api.patch(f"/api/v1/instances/{world.instance_of_software.pk}/", {}, format="json"),
        api.delete(f"/api/v1/instances/{world.instance_of_software.pk}/"),
        api.post("/api/v1/comments/", {"software": "libreoffice", "body": "x"}, format="json"),
        api.patch(f"/api/v1/comments/{world.comment.pk}/", {"body": "x"}, format="json"),
        api.get("/api/v1/me/declarations/"),
    ]
    assert {response.status_code for response in attempts} <= {401, 403}
    assert Instance.objects.count() == 1


def test_an_agent_declares_and_withdraws_as_referent_with_a_token(api, world):
    token = Token.objects.create(user=world.user_agent)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    english(api)
    response = api.post(
        "/api/v1/software/libreoffice/referent/",
        {"use_case": "Bureautique des agents", "is_technical_expert": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"]["slug"] == "interieur"
    assert ReferentDeclaration.objects.filter(
        agent=world.user_agent, is_technical_expert=True
    ).exists()
    mine = api.get("/api/v1/me/declarations/").json()
    assert sorted((row["software"], row["role"]) for row in mine) == [
        ("libreoffice", "referent"),
        ("libreoffice", "user"),
    ]
    assert api.delete("/api/v1/software/libreoffice/referent/").status_code == 204
    assert not ReferentDeclaration.objects.filter(agent=world.user_agent).exists()
    again = api.delete("/api/v1/software/libreoffice/referent/")
    assert again.status_code == 400
    assert "referent" in again.json()["detail"]


def test_declaring_for_another_organisation_is_forbidden_to_non_curators(api, world):
    api.force_authenticate(world.user_agent)
    response = api.post(
        "/api/v1/software/libreoffice/user/", {"organisation": "dinum"}, format="json"
    )
    assert response.status_code == 403
    unknown = api.post(
        "/api/v1/software/libreoffice/user/", {"organisation": "nowhere"}, format="json"
    )
    assert unknown.status_code == 400
    assert "organisation" in unknown.json()
    assert api.post("/api/v1/software/nothing/user/", {}, format="json").status_code == 404
    assert UserDeclaration.objects.filter(agent=world.user_agent).count() == 1


def test_instances_are_changed_by_their_organisation_only(api, world):
    url = f"/api/v1/instances/{world.instance_of_software.pk}/"
    api.force_authenticate(world.user_agent)  # of another organisation
    assert api.patch(url, {"target_audience": "Tous"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    api.force_authenticate(world.public_agent)  # same organisation as the instance
    changed = api.patch(url, {"target_audience": "Tous"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["target_audience"] == "Tous"
    bad = api.patch(url, {"public_url": "not a url"}, format="json")
    assert bad.status_code == 400
    created = api.post(
        "/api/v1/instances/",
        {"software": "libreoffice", "public_url": "https://bureau.example.gouv.fr"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["organisation"]["slug"] == "dinum"
    assert api.delete(url).status_code == 204
    assert list(Instance.objects.values_list("public_url", flat=True)) == [
        "https://bureau.example.gouv.fr"
    ]


def test_comments_are_created_sanitised_and_edited_by_their_author_only(api, world):
    api.force_authenticate(world.private_agent)
    created = api.post(
        "/api/v1/comments/",
        {"software": "libreoffice", "body": "Bien <script>alert(1)</script>"},
        format="json",
    )
    assert created.status_code == 201
    assert "<script" not in created.json()["body_html"]
    assert created.json()["author"] == ""  # not public
    url = f"/api/v1/comments/{world.comment.pk}/"
    assert api.patch(url, {"body": "Hijack"}, format="json").status_code == 403
    api.force_authenticate(world.commenter)
    assert api.patch(url, {"body": "Corrigé"}, format="json").json()["edited"] is True
    assert (
        api.post(
            "/api/v1/comments/", {"software": "libreoffice", "body": " "}, format="json"
        ).status_code
        == 400
    )
    listed = api.get("/api/v1/comments/?software=libreoffice").json()["results"]
    assert [comment["body"] for comment in listed] == ["Corrigé", "Bien <script>alert(1)</script>"]
    assert api.get("/api/v1/comments/").status_code == 400
    assert Comment.objects.get(pk=world.comment.pk).body == "Corrigé"


def test_session_writes_need_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user_agent)
    refused = browser.post(
        "/api/v1/software/libreoffice/referent/", {}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    secret = "a" * 32  # a CSRF secret as the cookie holds it; the header repeats it
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        "/api/v1/software/libreoffice/referent/",
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )
    assert accepted.status_code == 201, accepted.content


def test_a_signed_in_agent_issues_a_token_that_replaces_the_previous_one(api, world):
    assert api.post("/api/v1/me/token/").status_code == 403
    api.force_authenticate(world.user_agent)
    first = api.post("/api/v1/me/token/").json()["key"]
    second = api.post("/api/v1/me/token/").json()["key"]
    assert first != second
    scripted = type(api)()
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert scripted.get("/api/v1/me/declarations/").status_code == 403  # "Invalid token"
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert scripted.get("/api/v1/me/declarations/").status_code == 200
