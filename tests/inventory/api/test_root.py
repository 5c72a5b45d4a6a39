"""/api/v1/ is the API's root: it lists every collection, and the schema documents it."""

import pytest
import yaml

from inventory.api.views.root import ENDPOINTS

pytestmark = pytest.mark.django_db


def test_api_root_lists_every_collection_with_absolute_urls(api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert list(links) == [name for name, _url_name in ENDPOINTS]
    assert links["repositories"] == "http://testserver/api/v1/repositories/"
    assert links["software"] == "http://testserver/api/v1/software/"
    assert links["docs"] == "http://testserver/api/docs/"


def test_every_link_of_the_api_root_answers(api):
    # The agent's own declarations need a sign-in, comments the software they are about.
    expected = {"me_declarations": {401, 403}, "comments": {400}}
    for name, url in api.get("/api/v1/").json().items():
        status = api.get(url).status_code
        assert status in expected.get(name, {200}), (name, url, status)


def test_api_root_is_in_the_schema(api):
    schema = yaml.safe_load(api.get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/"]["get"]
    assert "entry point" in operation["description"]
    assert {"200", "400", "429"} <= set(operation["responses"])
