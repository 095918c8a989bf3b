"""`python -m bench [extraction|store|incremental|generate ...]`: run benchmarks, print tables, save JSON.

    python -m bench                       # all three at the sizes of docs/performance.md
    python -m bench extraction --sizes 100,1000,10000 --jobs 1,2 [--repeat 5]
    python -m bench store --triples 100000,1000000 --rdflib-timeout 10
    python -m bench incremental --docs 100,1000,10000
    python -m bench generate 1000 OUT_DIR [--seed 0]
    python -m bench serve --articles 100 --add 100 --clients 50 --seconds 30

Results go to bench/results/<name>-<UTC time>.json (git-ignored) with the machine's load average.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.common import save


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    ext = sub.add_parser("extraction", help="kg build vs spaCy nlp.pipe, words/s and peak memory")
    ext.add_argument("--sizes", type=_ints, default=[100, 1000])
    ext.add_argument("--jobs", type=_ints, default=[1, 2])
    ext.add_argument(
        "--repeat", type=int, default=1, help="rounds per case; the table gives the median round's ratios"
    )
    sto = sub.add_parser("store", help="bulk load vs adds; saved queries on Oxigraph vs rdflib")
    sto.add_argument("--triples", type=_ints, default=[100_000, 1_000_000])
    sto.add_argument("--repeat", type=int, default=5)
    sto.add_argument("--timeout", type=float, default=60, help="seconds per Oxigraph query")
    sto.add_argument("--rdflib-timeout", type=float, default=20, help="seconds per rdflib query")
    sto.add_argument("--adds-limit", type=int, default=200_000, help="largest graph for one-by-one adds")
    inc = sub.add_parser("incremental", help="add or replace one document in stores of growing size")
    inc.add_argument("--docs", type=_ints, default=[100, 1000, 10_000])
    srv = sub.add_parser(
        "serve", help="kg serve under concurrent clients while kg build writes; vs oxigraph serve"
    )
    srv.add_argument("--articles", type=int, default=100, help="articles in the store served")
    srv.add_argument("--add", type=int, default=100, help="articles `kg build` adds during the load")
    srv.add_argument("--clients", type=int, default=50)
    srv.add_argument("--seconds", type=float, default=30)
    gen = sub.add_parser("generate", help="write a generated corpus as .txt files")
    gen.add_argument("n", type=int)
    gen.add_argument("out", type=Path)
    for p in (ext, sto, inc, srv, gen):
        p.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    if args.command == "generate":
        from bench.generate import write_corpus

        paths = write_corpus(args.n, args.out, args.seed)
        print(f"wrote {len(paths)} articles to {args.out}")
        return 0
    todo = [args.command] if args.command else ["extraction", "store", "incremental"]
    for name in todo:
        if name == "serve":
            from bench import serve

            result = serve.run(args.articles, args.add, args.clients, args.seconds, args.seed)
        elif name == "extraction":
            from bench import extraction

            result = extraction.run(
                getattr(args, "sizes", [100, 1000]),
                getattr(args, "jobs", [1, 2]),
                repeat=getattr(args, "repeat", 1),
            )
        elif name == "store":
            from bench import store

            result = store.run(
                getattr(args, "triples", [100_000, 1_000_000]),
                repeat=getattr(args, "repeat", 5),
                timeout=getattr(args, "timeout", 60),
                rdflib_timeout=getattr(args, "rdflib_timeout", 20),
                adds_limit=getattr(args, "adds_limit", 200_000),
            )
        else:
            from bench import incremental

            result = incremental.run(getattr(args, "docs", [100, 1000, 10_000]))
        print(result["table"])
        path = save(name, result)
        print(f"saved {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
