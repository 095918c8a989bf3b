"""The Starlette application: SPARQL protocol, saved-query API, entity pages, search, network,
timeline, static files. Every store access goes to a worker process (kg/serve/workers.py); this
process only parses requests, negotiates formats and renders templates.
"""

from __future__ import annotations

import contextlib
import json
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from kg.serve.formats import wants_html
from kg.serve.jobs import local_path, stored_iri
from kg.serve.workers import JobError, WorkerPool
from kg.settings import ServeSettings
from kg.sparql.catalogue import load_queries
from kg.vocab import BASE

PACKAGE = files("kg.serve")
TEMPLATES = Jinja2Templates(directory=str(PACKAGE / "templates"))
TEMPLATES.env.filters["local"] = lambda iri: local_path(iri or "") or iri
TEMPLATES.env.filters["short"] = lambda iri: (iri or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
TEMPLATES.env.globals["base"] = BASE
QUERY_TYPES = ("application/sparql-query",)
UPDATE_TYPES = ("application/sparql-update",)
FORM_TYPES = ("application/x-www-form-urlencoded",)


def create_app(settings: ServeSettings) -> Starlette:
    """The web application over the store at ``settings.store`` (read-only unless allow_update)."""
    pool = WorkerPool(
        Path(settings.store),
        settings.workers,
        settings.timeout,
        settings.allow_update,
        settings.allow_service,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await pool.start()
        yield
        await pool.close()

    async def run(name: str, *args):
        return await pool.run(name, *args)

    def error(request: Request, err: JobError) -> Response:
        if wants_html(request.headers.get("accept")):
            return TEMPLATES.TemplateResponse(
                request, "error.html", {"status": err.status, "message": err.message}, status_code=err.status
            )
        return PlainTextResponse(err.message + "\n", status_code=err.status)

    # -- SPARQL protocol ------------------------------------------------------------------------

    async def sparql_endpoint(request: Request) -> Response:
        params = list(request.query_params.multi_items())
        query = update = None
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = (await request.body()).decode("utf-8", errors="replace")
            if media in QUERY_TYPES:
                query = body
            elif media in UPDATE_TYPES:
                update = body
            elif media in FORM_TYPES:
                params += parse_qsl(body, keep_blank_values=True)
            else:
                return PlainTextResponse(
                    "POST a form (query= or update=), application/sparql-query or "
                    "application/sparql-update\n",
                    status_code=415,
                )
        values: dict[str, list[str]] = {}
        for key, value in params:
            values.setdefault(key, []).append(value)
        query = query if query is not None else (values.get("query") or [None])[0]
        update = update if update is not None else (values.get("update") or [None])[0]
        try:
            if update is not None:
                if request.method != "POST":
                    return PlainTextResponse("SPARQL Update takes POST\n", status_code=405)
                await run("update", update)
                return PlainTextResponse("done\n")
            if query is None:
                if wants_html(request.headers.get("accept")) or request.method == "GET":
                    return editor(request)
                return PlainTextResponse("no query given (query=...)\n", status_code=400)
            requested = (values.get("format") or values.get("output") or [None])[0]
            media_type, data = await run(
                "sparql",
                query,
                request.headers.get("accept"),
                requested,
                values.get("default-graph-uri", []),
                values.get("named-graph-uri", []),
            )
        except JobError as err:
            return PlainTextResponse(err.message + "\n", status_code=err.status)
        return Response(data, media_type=media_type, headers={"Vary": "Accept"})

    def editor(request: Request) -> Response:
        examples = [
            {"name": q.name, "title": q.title, "text": q.text}
            for q in load_queries().values()
            if not q.params  # a parameterised query needs its VALUES: those go through /queries
        ]
        return TEMPLATES.TemplateResponse(request, "sparql.html", {"examples": examples})

    # -- saved queries ---------------------------------------------------------------------------

    async def catalogue(request: Request) -> Response:
        queries = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "columns": list(q.columns),
                "params": [
                    {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
                    for p in q.params
                ],
                "json": f"/queries/{q.name}.json",
                "csv": f"/queries/{q.name}.csv",
            }
            for q in load_queries().values()
        ]
        if wants_html(request.headers.get("accept")):
            return TEMPLATES.TemplateResponse(request, "queries.html", {"queries": queries})
        return JSONResponse({"queries": queries})

    async def saved_query(request: Request) -> Response:
        name, fmt = request.path_params["name"], request.path_params["fmt"]
        if fmt not in ("json", "csv"):
            return PlainTextResponse(f"/queries/{name}.json or .csv, not .{fmt}\n", status_code=404)
        params = {k: v for k, v in request.query_params.items() if v != "" and not k.startswith("_")}
        try:
            result = await run("saved", name, params, fmt)
        except JobError as err:
            return PlainTextResponse(err.message + "\n", status_code=err.status)
        if fmt == "csv":
            return Response(result, media_type="text/csv; charset=utf-8")
        return Response(json.dumps(result, ensure_ascii=False), media_type="application/json")

    # -- pages ---------------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        try:
            data = await run("home")
        except JobError as err:
            return error(request, err)
        return TEMPLATES.TemplateResponse(request, "home.html", data)

    async def search_page(request: Request) -> Response:
        text = request.query_params.get("q", "")
        try:
            hits = await run("search", text, 30) if text.strip() else []
        except JobError as err:
            return error(request, err)
        if not wants_html(request.headers.get("accept")) or request.url.path.startswith("/api/"):
            return JSONResponse({"q": text, "results": hits})
        return TEMPLATES.TemplateResponse(request, "search.html", {"q": text, "hits": hits})

    async def resource(request: Request) -> Response:
        """A minted IRI, dereferenced: an HTML page for a browser, RDF for an RDF client."""
        path = request.url.path
        iri = stored_iri(path)
        accept = request.headers.get("accept")
        requested = request.query_params.get("format")
        try:
            if requested or not wants_html(accept):
                media_type, data = await run("describe", iri, accept, requested)
                return Response(data, media_type=media_type, headers={"Vary": "Accept"})
            page = await run("entity", iri)
        except JobError as err:
            return error(request, err)
        if page is None:
            return error(request, JobError(404, f"{iri} is not in the graph"))
        return TEMPLATES.TemplateResponse(
            request,
            f"{page['kind']}.html" if page["kind"] in ("event", "doc") else "entity.html",
            {"page": page},
        )

    async def ontology(request: Request) -> Response:
        try:
            media_type, data = await run(
                "ontology", request.headers.get("accept"), request.query_params.get("format")
            )
        except JobError as err:
            return error(request, err)
        return Response(data, media_type=media_type, headers={"Vary": "Accept"})

    async def graph_resource(request: Request) -> Response:
        """An article's named graph: its document's page (the graph holds what the document says)."""
        name = request.path_params["name"]
        if len(name) == 16 and all(c in "0123456789abcdef" for c in name):
            return RedirectResponse(f"/id/doc/{name}", status_code=303)
        return error(request, JobError(404, f"{BASE}graph/{name}: query it at /sparql with GRAPH"))

    async def network_page(request: Request) -> Response:
        return TEMPLATES.TemplateResponse(request, "network.html", {})

    async def network_data(request: Request) -> Response:
        q = request.query_params
        try:
            data = await run(
                "network", q.get("from", ""), q.get("to", ""), q.get("country", ""), q.get("type", "")
            )
        except JobError as err:
            return PlainTextResponse(err.message + "\n", status_code=err.status)
        return JSONResponse(data)

    async def timeline_page(request: Request) -> Response:
        return TEMPLATES.TemplateResponse(
            request, "timeline.html", {"entity": request.query_params.get("entity", "")}
        )

    async def timeline_data(request: Request) -> Response:
        entity = request.query_params.get("entity", "")
        iri = stored_iri(entity) if entity.startswith("/") else entity
        try:
            data = await run("timeline", iri)
        except JobError as err:
            return PlainTextResponse(err.message + "\n", status_code=err.status)
        if data is None:
            return PlainTextResponse(f"{iri} is not in the graph\n", status_code=404)
        return JSONResponse(data)

    routes = [
        Route("/", home),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/queries", catalogue),
        Route("/queries/{name:str}.{fmt:str}", saved_query),
        Route("/search", search_page),
        Route("/api/search", search_page),
        Route("/network", network_page),
        Route("/api/network", network_data),
        Route("/timeline", timeline_page),
        Route("/api/timeline", timeline_data),
        Route("/id/{rest:path}", resource),
        Route("/topic/{rest:path}", resource),
        Route("/ontology", ontology),
        Route("/graph/{name:str}", graph_resource),
        Mount("/static", StaticFiles(packages=[("kg.serve", "static")]), name="static"),
    ]
    middleware = [
        # Browser clients on other origins (a notebook, another YASGUI) may query: the data is public.
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"])
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.pool = pool
    return app
