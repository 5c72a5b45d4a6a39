"""``manage.py enrich``: link the catalog to the sources, refresh them, fetch the logos."""

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from inventory.catalog.models import Software
from inventory.enrichment.models import Source
from inventory.enrichment.services.run import RunReport, enrichment_run


class Command(BaseCommand):
    help = (
        "Enrich the catalog from Wikidata, Comptoir du Libre, the CNLL directory, HAL and the "
        "forges' releases (all by default), with a progress bar and a summary. A source that "
        "fails changes nothing stored; the command then exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            choices=Source.values,
            help="Refresh only this source (repeatable).",
        )
        parser.add_argument(
            "--software",
            action="append",
            metavar="SLUG",
            help="Refresh only this catalog entry (repeatable).",
        )
        parser.add_argument(
            "--no-name-match",
            action="store_true",
            help="Do not search Wikidata by name for the entries it is not linked to.",
        )
        parser.add_argument("--no-logos", action="store_true", help="Do not fetch logos.")

    def handle(self, *args, **options):
        software_ids = None
        if options["software"]:
            slugs = options["software"]
            found = dict(Software.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            unknown = sorted(set(slugs) - set(found))
            if unknown:
                raise CommandError(f"No catalog entry with the slug {', '.join(unknown)}.")
            software_ids = list(found.values())
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=None,
            disable=not self.stdout.isatty(),
            transient=True,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done, total=total)

            report = enrichment_run(
                sources=options["source"],
                software_ids=software_ids,
                match_names=not options["no_name_match"],
                logos=not options["no_logos"],
                progress=progress,
            )
        failed = self.summary(report)
        if failed:
            raise CommandError(f"{failed} source(s) failed; their records are unchanged.")

    def summary(self, report: RunReport) -> int:
        write = self.stdout.write
        if report.links:
            write(
                f"Links from the catalog's ids: {report.links.created} new, {report.links.removed} removed."
            )
        if report.matches:
            write(
                f"Wikidata name search: {report.matches.searched} entries searched, "
                f"{report.matches.certain} linked, {report.matches.uncertain} proposed to curators."
            )
        if report.match_error:
            write(self.style.WARNING(report.match_error))
        failed = 0
        for result in report.refreshes:
            if result.ok:
                unchanged = " (nothing changed: 304)" if result.not_modified else ""
                write(
                    f"{result.source}: {result.records} records, {result.updated} updated, "
                    f"{result.missing} unknown to the source, {result.requests} requests{unchanged}."
                )
            else:
                failed += 1
                write(
                    self.style.ERROR(f"{result.source}: failed, nothing changed — {result.error}")
                )
        if report.logos:
            logos = report.logos
            write(
                f"Logos: {logos.fetched} fetched, {logos.unchanged} unchanged, {logos.failed} failed."
            )
            for error in logos.errors[:10]:
                write(f"  {error}")
        return failed
