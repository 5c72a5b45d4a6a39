"""Serve the fake sources from the command line: ``python -m crawlers.sources.fakes [--seed FILE]``."""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path

from crawlers.sources.fakes.seed import demo_seed
from crawlers.sources.fakes.server import FakeSources


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crawlers.sources.fakes", description=__doc__)
    parser.add_argument("--seed", type=Path, help="JSON seed file (default: the demo seed)")
    parser.add_argument("--sill", type=Path, help="the SILL data folder of the demo seed")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed-out", type=Path, help="write the seed served as JSON here")
    args = parser.parse_args(argv)

    seed = json.loads(args.seed.read_text(encoding="utf-8")) if args.seed else demo_seed(args.sill)
    if args.seed_out:
        args.seed_out.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    with FakeSources(seed, port=args.port) as sources:
        print(f"Fake sources on {sources.base_url}:", flush=True)
        for name, url in sources.base_urls.items():
            print(f"  {name:10} {url}", flush=True)
        print("Ctrl-C stops it.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Stopped.")


if __name__ == "__main__":
    main()
