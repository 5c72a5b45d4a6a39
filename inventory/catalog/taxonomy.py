"""The curated taxonomy of the catalog: about forty categories in six groups, and which of the
SILL's fifty flat categories each one takes in (near-duplicates merged, one-entry ones joined
to their neighbours; names keep the words the search reads, "non relationnelles" stays away
from "bases de données"). Migration 0005 applied it; the SILL importer reads the same aliases, so a
later import files entries under the merged categories instead of bringing the old ones back.
Change it through a new data migration."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class CategoryGroup(models.IntegerChoices):
    OFFICE = 1, _("Office work and communication")
    BUSINESS = 2, _("Business, data and content")
    DEVELOPMENT = 3, _("Software development")
    SERVERS = 4, _("Servers and databases")
    OPERATIONS = 5, _("Infrastructure and operations")
    SECURITY = 6, _("Security")
    OTHER = 9, _("Other")


# (group, category, the SILL's former categories it takes in besides its own name)
TAXONOMY: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (CategoryGroup.OFFICE, "Consultation et édition de documents", ()),
    (CategoryGroup.OFFICE, "Outil de productivité", ()),
    (CategoryGroup.OFFICE, "Outil collaboratif", ()),
    (CategoryGroup.OFFICE, "Messagerie, agenda et contacts", ("Messagerie agenda contacts",)),
    (CategoryGroup.OFFICE, "Visioconférence", ("Visiophonie",)),
    (CategoryGroup.OFFICE, "Partage et synchronisation de fichiers",
     ("Partage de fichiers", "Synchronisation réplication déduplication")),
    (CategoryGroup.OFFICE, "Navigateur web", ()),
    (CategoryGroup.OFFICE, "Compression et archivage", ("Compression décompression",)),
    (CategoryGroup.OFFICE, "Accessibilité", ()),
    (CategoryGroup.BUSINESS, "Outil métier", ()),
    (CategoryGroup.BUSINESS, "Information géographique (SIG)", ("Moteur SIG",)),
    (CategoryGroup.BUSINESS, "Modélisation et analyse",
     ("Modeleur", "Outils d'analyse, de Modélisation et de gestion de Patrimoine")),
    (CategoryGroup.BUSINESS, "Gestion de contenu web", ()),
    (CategoryGroup.BUSINESS, "Moteur de recherche", ()),
    (CategoryGroup.DEVELOPMENT, "Environnement de développement (IDE)",
     ("Environnement de développement", "Environnement de développement intégré (IDE)",
      "Aide au développement")),
    (CategoryGroup.DEVELOPMENT, "Gestion du code source et des anomalies",
     ("Gestion du code source", "Gestion des Anomalies")),
    (CategoryGroup.DEVELOPMENT, "Qualité et sécurité du code source",
     ("Qualité et sécurité de code source",)),
    (CategoryGroup.DEVELOPMENT, "Test et intégration", ("Test & Intégration",)),
    (CategoryGroup.DEVELOPMENT, "Compilation et exécution",
     ("Outil de compilation", "Environnement d'exécution")),
    (CategoryGroup.DEVELOPMENT, "Gestion du cycle de vie applicatif",
     ("Gestionnaire de cycle applicatif",)),
    (CategoryGroup.SERVERS, "Bases de données relationnelles", ()),
    (CategoryGroup.SERVERS, "Gestionnaire de données non relationnelles", ()),
    (CategoryGroup.SERVERS, "Serveur web et reverse proxy", ("Serveur Web & Reverse Proxy",)),
    (CategoryGroup.SERVERS, "Serveur d'application", ()),
    (CategoryGroup.SERVERS, "Répartition de charge et haute disponibilité",
     ("Load Balancer", "Haute disponibilité (OS)")),
    (CategoryGroup.SERVERS, "Serveur de messagerie (SMTP)", ("Serveur SMTP",)),
    (CategoryGroup.SERVERS, "Serveur d'impression", ()),
    (CategoryGroup.OPERATIONS, "Système d'exploitation", ("Système d'Exploitation",)),
    (CategoryGroup.OPERATIONS, "Virtualisation et conteneurs",
     ("Virtualisation serveur et jusqu'à plateforme",
      "Application web interfaçant un serveur Kubernetes")),
    (CategoryGroup.OPERATIONS, "Outils système et virtualisation",
     ("Outils système & virtualisation",)),
    (CategoryGroup.OPERATIONS, "Déploiement et gestion de configuration",
     ("Déploiement gestion d'actif et de configuration",)),
    (CategoryGroup.OPERATIONS, "Installation, paquets et distribution",
     ("Installation, Packaging, Diffusion et Distribution",)),
    (CategoryGroup.OPERATIONS, "Supervision et journaux",
     ("Supervision / Hypervision", "Gestion des logs")),
    (CategoryGroup.OPERATIONS, "Sauvegarde", ("Sauvegarde serveurs",)),
    (CategoryGroup.OPERATIONS, "Gestion des niveaux de service", ("Service level management",)),
    (CategoryGroup.SECURITY, "Authentification et identités", ("Authentification",)),
    (CategoryGroup.SECURITY, "Gestion des accès aux données", ()),
    (CategoryGroup.SECURITY, "Chiffrement", ()),
    (CategoryGroup.SECURITY, "Antivirus", ()),
    (CategoryGroup.SECURITY, "Pare-feu et réseau", ("Pare-feu - Réseau",)),
)  # fmt: skip


def category_slug(name: str) -> str:
    return slugify(name.strip())[:120] or "categorie"


# Category slug → (name, group) of the curated category it is, or was merged into.
CANONICAL: dict[str, tuple[str, int]] = {}
for _group, _name, _former in TAXONOMY:
    for _alias in (_name, *_former):
        CANONICAL[category_slug(_alias)] = (_name, int(_group))
