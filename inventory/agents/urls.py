"""Agents' sign-in (e-mail link, ProConnect), sign-out and profile."""

from django.urls import path

from inventory.agents import oidc, views

app_name = "agents"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/<str:token>/", views.login_link_view, name="login_link"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/organisation/", views.membership_request_view, name="membership_request"),
    path("adhesions/", views.membership_requests_view, name="membership_requests"),
    path("organisations/", views.organisation_suggest_view, name="organisation_suggest"),
    path("proconnect/login/", oidc.ProConnectLoginView.as_view(), name="proconnect_login"),
    path("proconnect/callback/", oidc.ProConnectCallbackView.as_view(), name="proconnect_callback"),
]
