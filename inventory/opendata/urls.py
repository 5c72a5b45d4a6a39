"""Open-data routes: the downloads page, the files, and the Atom feeds."""

from django.urls import path

from inventory.opendata import feeds, views

app_name = "opendata"
urlpatterns = [
    path("", views.data_index, name="index"),
    path("feeds/repositories.atom", feeds.RepositoriesFeed(), name="feed-repositories"),
    path("feeds/catalog.atom", feeds.CatalogFeed(), name="feed-catalog"),
    path("<str:name>", views.data_file, name="file"),
]
