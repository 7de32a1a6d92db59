"""The web app: server-rendered pages and a JSON API over one record.

`create_app` opens the record and wires the pieces: the pages and the API (two routers),
one translation of the error tree (a JSON shape under /api, an HTML page elsewhere), the
guard (safety.py: security headers, caps on bodies and times), the page cache (cache.py)
and static files served from installed packages (no CDN)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradetalks import __version__, lexicons
from tradetalks.budget import DEFAULT_BUDGET, Extractor
from tradetalks.errors import NotFound, QueryError, TradetalksError
from tradetalks.store import Store
from tradetalks.web.cache import PageCache, SharedPages
from tradetalks.web.safety import PER_CLIENT, TIMEOUT, ClientLimit, Guard, error_body

ENV_TOKEN = "TRADETALKS_TOKEN"
HERE = Path(__file__).parent


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/openapi")) or "text/html" not in request.headers.get("accept", "text/html")


def create_app(db: str | None = None, *, token: str | None = None, allow_private: bool = False,
               timeout: float = TIMEOUT, store: Store | None = None, shared_pages: str | None = None,
               public_url: str | None = None, hosts: Iterable[str] | None = None, per_client: int = PER_CLIENT,
               budget: float = DEFAULT_BUDGET) -> FastAPI:
    """The app over the record at `db` (a SQLite path or a postgresql:// URL). Ingesting
    with POST /api/documents is on only when a token is given (or $TRADETALKS_TOKEN).
    `shared_pages`: the file in which the worker processes of one server share the pages
    they render. `public_url`: the address the server is published at, the base of the
    absolute links of its feeds (without it they are relative: nothing is taken from the
    Host header). `hosts`: the host names served (with the public URL's); a request for
    another is refused (None: any). `budget`: seconds a posted document may take to
    extract."""
    from tradetalks.web import api, pages
    from tradetalks.web import corrections as web_corrections

    store = store or Store(db, create=False)
    lexicons.get()  # loaded now, not by the first request that needs a country's code
    extractor = Extractor(budget=budget, prepare=True)  # its process starts with the first posted document

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        extractor.close()
        store.close()

    app = FastAPI(title="tradetalks", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="The record of trade talks: events with their evidence, mechanisms, people, documents.")
    app.state.store = store
    app.state.token = token if token is not None else (os.environ.get(ENV_TOKEN) or None)
    app.state.allow_private = allow_private
    app.state.public_url = public_url.rstrip("/") if public_url else None
    app.state.extractor, app.state.budget = extractor, budget
    app.state.templates = pages.templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(web_corrections.router)
    _vendor_routes(app)
    _error_handlers(app)
    app.add_middleware(ClientLimit, per_client=per_client)
    app.add_middleware(PageCache, store=store, shared=SharedPages(shared_pages) if shared_pages else None,
                       names=lambda: _query_names(app))
    served = None if hosts is None else frozenset(h.lower() for h in hosts) | (
        {urlsplit(public_url).hostname or ""} if public_url else set())
    app.add_middleware(Guard, timeout=timeout, token=app.state.token, hosts=served)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def served_hosts(host: str, public_url: str | None) -> list[str] | None:
    """The host names a server listening on `host` answers to: the public URL's, the
    address listened on (and this machine's names for a loopback one); None (any) for a
    server listening on every address without a public URL, whose names are not known."""
    names = set()
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise QueryError(f"--public-url {public_url!r} is not an http(s) address; give one such as https://talks.example.org")
        names.add(parts.hostname)
    if host in ("0.0.0.0", "::", ""):
        return sorted(names) or None
    names.add(host.lower())
    if host in LOOPBACK:
        names.update(LOOPBACK)
    return sorted(names)


def _query_names(app: FastAPI) -> frozenset[str]:
    """Every query parameter that some route reads (its own or its dependencies')."""
    names: set[str] = set()
    routes, dependants = list(app.routes), []
    while routes:
        route = routes.pop()
        router = getattr(route, "original_router", None)  # a router included (FastAPI >= 0.165)
        routes += router.routes if router is not None else []
        if getattr(route, "dependant", None) is not None:
            dependants.append(route.dependant)  # type: ignore[attr-defined]
    while dependants:
        dependant = dependants.pop()
        names |= {param.alias for param in dependant.query_params}
        dependants += dependant.dependencies
    return frozenset(names)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI schema, without FastAPI's 422 answers: bad parameters get a 400 in the
    API's one error shape."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


ENV_ALLOW_PRIVATE = "TRADETALKS_ALLOW_PRIVATE"
ENV_TIMEOUT = "TRADETALKS_TIMEOUT"
ENV_SHARED_PAGES = "TRADETALKS_SHARED_PAGES"
ENV_PUBLIC_URL = "TRADETALKS_PUBLIC_URL"
ENV_HOSTS = "TRADETALKS_HOSTS"      # host names served, separated by spaces; unset or empty: any
ENV_BUDGET = "TRADETALKS_BUDGET"


def from_env() -> FastAPI:
    """The app as `tradetalks serve --workers N` starts it in each worker process: its
    settings come from the environment ($TRADETALKS_DB, $TRADETALKS_TOKEN, ...)."""
    from tradetalks.store import ENV_DB

    return create_app(os.environ.get(ENV_DB), token=os.environ.get(ENV_TOKEN) or None,
                      allow_private=os.environ.get(ENV_ALLOW_PRIVATE) == "1",
                      timeout=float(os.environ.get(ENV_TIMEOUT) or TIMEOUT),
                      shared_pages=os.environ.get(ENV_SHARED_PAGES) or None,
                      public_url=os.environ.get(ENV_PUBLIC_URL) or None,
                      hosts=(os.environ.get(ENV_HOSTS) or "").split() or None,
                      budget=float(os.environ.get(ENV_BUDGET) or DEFAULT_BUDGET))


VENDOR = {
    "plotly.min.js": ("plotly", "package_data/plotly.min.js"),
    "swagger-ui-bundle.js": ("fastapi_offline", "static/swagger-ui-bundle.js"),
    "swagger-ui.css": ("fastapi_offline", "static/swagger-ui.css"),
}


def _vendor_routes(app: FastAPI) -> None:
    """Third-party browser code, served from the Python packages that ship it."""

    @app.get("/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        if name not in VENDOR:
            raise NotFound(f"no file {name!r} here")
        package, path = VENDOR[name]
        return FileResponse(str(resources.files(package).joinpath(path)),
                            headers={"cache-control": "public, max-age=604800"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return request.app.state.templates.TemplateResponse(request, "docs.html", {})


def _error_handlers(app: FastAPI) -> None:
    templates: Jinja2Templates = app.state.templates

    def respond(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse(error_body(status, message), status_code=status, headers=headers)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status, headers=headers)

    @app.exception_handler(TradetalksError)
    def tradetalks_error(request: Request, exc: TradetalksError) -> Response:
        status = exc.http_status  # the one translation of the error tree for the web
        return respond(request, status, str(exc), {"www-authenticate": "Bearer"} if status == 401 else None)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        reasons = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            reasons.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return respond(request, 400, "; ".join(reasons) or "the request is not valid")

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; start from the home page /"
        return respond(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    def crash(request: Request, exc: Exception) -> Response:
        return respond(request, 500, f"internal error ({type(exc).__name__}); please report it with the address")
