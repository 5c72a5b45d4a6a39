"""URLs of the web interface: French paths, French first."""

from django.urls import include, path

from inventory.web.views import catalog, comments, declarations, instances, software

app_name = "web"
urlpatterns = [
    path("", catalog.home, name="home"),
    path("logiciels/", catalog.software_list, name="software_list"),
    path("logiciels/proposer/", software.software_propose_view, name="software_propose"),
    path(
        "logiciels/proposer/suggestions/",
        software.software_name_suggestions_view,
        name="software_name_suggestions",
    ),
    path("logiciels/<slug:slug>/", catalog.software_detail, name="software_detail"),
    path("logiciels/<slug:slug>/modifier/", software.software_edit, name="software_edit"),
    path(
        "logiciels/<slug:slug>/referent/",
        declarations.declare,
        {"kind": "referent"},
        name="referent_declare",
    ),
    path(
        "logiciels/<slug:slug>/referent/retirer/",
        declarations.withdraw,
        {"kind": "referent"},
        name="referent_withdraw",
    ),
    path(
        "logiciels/<slug:slug>/utilisateur/",
        declarations.declare,
        {"kind": "user"},
        name="user_declare",
    ),
    path(
        "logiciels/<slug:slug>/utilisateur/retirer/",
        declarations.withdraw,
        {"kind": "user"},
        name="user_withdraw",
    ),
    path(
        "logiciels/<slug:slug>/instances/ajouter/",
        instances.instance_add_view,
        name="instance_add",
    ),
    path("instances/<int:pk>/modifier/", instances.instance_edit, name="instance_edit"),
    path("instances/<int:pk>/supprimer/", instances.instance_delete_view, name="instance_delete"),
    path(
        "logiciels/<slug:slug>/commentaires/",
        comments.comment_create_view,
        name="comment_create",
    ),
    path("commentaires/<int:pk>/modifier/", comments.comment_edit_view, name="comment_edit"),
    path("commentaires/<int:pk>/signaler/", comments.comment_report_view, name="comment_report"),
    path("organisations/<slug:slug>/", catalog.organisation_detail, name="organisation_detail"),
    path("mon-espace/", catalog.my_space, name="my_space"),
    path("", include("inventory.web.urls_inventory")),
]
