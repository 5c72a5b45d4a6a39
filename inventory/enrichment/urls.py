"""URLs of the enrichment: logos, the providers page, the proposal form's source search."""

from django.urls import path

from inventory.enrichment import views

app_name = "enrichment"
urlpatterns = [
    path("logos/<int:software_id>/", views.software_logo, name="software_logo"),
    path("prestataires/", views.provider_list, name="provider_list"),
    path("logiciels/proposer/sources/", views.proposal_search, name="proposal_search"),
]
