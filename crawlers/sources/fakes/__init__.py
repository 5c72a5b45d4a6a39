"""Fake Wikidata, Commons, Comptoir du Libre, CNLL directory and HAL on 127.0.0.1 (no Django).

They answer in the real services' formats for the source clients of :mod:`crawlers.sources`::

    from crawlers.sources.fakes import FakeSources

    with FakeSources(seed) as fs:            # ThreadingHTTPServer, random free port, daemon thread
        fs.base_urls["wikidata"]             # "http://127.0.0.1:PORT/wikidata" (WikidataClient base_url)
        fs.base_urls["commons"]              # Commons (WikidataClient commons_url, logo files)
        fs.base_urls["comptoir"], fs.base_urls["cnll"], fs.base_urls["hal"]
        fs.requests                          # [RequestLog(source, method, path, query, status, headers)]
        fs.reset_log()
        fs.fault(source, kind, path_contains=None, times=None, seconds=1)
        fs.clear_faults()
        fs.update("cnll", [...])             # replace one source's data

``FakeSources.from_demo_seed()`` serves :func:`crawlers.sources.fakes.seed.demo_seed` (true facts
only, see that module). ``FakeSources(seed, forge_seed=...)`` also runs a
:class:`crawlers.fakeforge.FakeForge` (its releases and tags feed ``forge_releases``);
``fs.forges`` maps its hosts to ``(kind, api_url)``.

Endpoints: Wikidata ``/w/api.php`` with ``action=wbgetentities`` (``ids`` ≤ 50, ``props``,
``languages``; unknown ids come back ``missing``, malformed ones as an API ``error``; a seed
entry ``{"redirect": "Q2"}`` is a merged item, answered as Q2 with ``redirects``) and
``action=wbsearchentities`` (prefix match on a language's label and aliases); Commons
``/wiki/Special:FilePath/<file>`` (302 to ``/upload/wikipedia/commons/<a>/<ab>/<file>``, a
generated PNG); Comptoir du Libre ``/public/export/comptoir-du-libre_export_v1.json``; CNLL
``/api/prestataires-sill.json``; HAL ``/search/`` (``q`` as ``halId_s:("…" OR "…")`` or words,
``fq``, ``fl``, ``rows``, ``start``, ``wt=json``).

Every 200 carries a strong ``ETag``; ``If-None-Match`` gets a 304. Faults (``kind``), for
requests to ``source`` whose path and query contain ``path_contains``: ``server_error`` (500),
``throttle`` (429 with ``Retry-After: seconds``), ``garbage`` (200 with an HTML page),
``redirect`` (301 to the same request under ``/moved/``, answered normally), ``missing_fields``
(the answer without its optional fields: Wikidata claims and descriptions, Comptoir providers,
users, external resources and licence, CNLL SIREN and URL, HAL all but id and title).

Seed (a dict keyed by source)::

    {"wikidata": {"Q10135": <entity as wbgetentities returns it>, ...},
     "commons": ["LibreOffice_Logo_Flat.svg", ...],
     "commons_served": {"Fake.png": {"content_type": "image/png", "body": "not a png"},
                        "Away.png": {"location": "http://10.0.0.1/x.png"}},   # tests' oddities
     "comptoir": {"date_of_export": "...", "softwares": [<Comptoir software>, ...]},
     "cnll": [{"nom": "...", "sill_id": 1, "prestataires": [{"nom", "siren", "url"}]}],
     "hal": [<HAL search document>, ...]}

:mod:`crawlers.sources.fakes.seed` builds Wikidata entities (``wikidata_item``).
"""

from crawlers.sources.fakes.server import FakeSources, RequestLog

__all__ = ["FakeSources", "RequestLog"]
