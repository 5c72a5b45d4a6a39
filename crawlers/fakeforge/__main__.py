"""Serve a fake forge from the command line: ``python -m crawlers.fakeforge --demo repositories.csv``."""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path

from crawlers.fakeforge.demo import build_demo_seed
from crawlers.fakeforge.hostile import hostile_seed
from crawlers.fakeforge.server import FakeForge


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crawlers.fakeforge", description=__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--seed", type=Path, help="JSON seed file")
    source.add_argument("--demo", type=Path, metavar="CSV", help="codegouvfr-2021/repositories.csv")
    source.add_argument("--hostile", action="store_true", help="the hostile seed (attack tests)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--accounts-out", type=Path, help="write the demo's accounts YAML here")
    parser.add_argument("--seed-out", type=Path, help="write the demo's seed JSON here")
    args = parser.parse_args(argv)

    if args.seed:
        seed = json.loads(args.seed.read_text(encoding="utf-8"))
    elif args.hostile:
        seed = hostile_seed()
    else:
        seed, accounts_yaml = build_demo_seed(args.demo)
        if args.accounts_out:
            args.accounts_out.write_text(accounts_yaml, encoding="utf-8")
        if args.seed_out:
            args.seed_out.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with FakeForge(seed, port=args.port) as forge:
        repositories = len(seed.get("repositories") or [])
        print(f"Fake forge on {forge.base_url}: {repositories} repositories", flush=True)
        for host in seed.get("forges") or {}:
            print(f"  {host:40} {forge.api_url(host)}", flush=True)
        print("Ctrl-C stops it.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Stopped.")


if __name__ == "__main__":
    main()
