"""The workspace's pages, rendered on the server (Jinja2, autoescaped). Thin: each page
gathers what :mod:`.api` and :mod:`.views` give and hands it to a template; the browser
scripts in ``static/`` call the API for every change, with the CSRF token."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from harmledger.errors import AuthError, HarmledgerError
from harmledger.model import COUNT_ROLES, VIOLATIONS
from harmledger.review import accounts
from harmledger.review.edits import taxonomy
from harmledger.review.roles import ROLES, may
from harmledger.store.filters import REVIEW_FILTERS
from harmledger.web import api, views
from harmledger.web.auth import COOKIE, check_form, check_origin, page_user, require, signed_in

router = APIRouter(include_in_schema=False)
User = Annotated[accounts.SignedIn, Depends(page_user)]


def render(
    request: Request, name: str, user: accounts.SignedIn | None, **context: Any
) -> HTMLResponse:
    templates = request.app.state.templates
    context.update(
        user=user,
        may=(lambda action: user is not None and may(user.role, action)),
        path=request.url.path,
    )
    return templates.TemplateResponse(request, name, context)


def _next(url: str | None) -> str:
    """Only a path of this site (never another site: ``//host`` or ``https://``)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\\\" in url:
        return "/"
    return url


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    if signed_in(request) is not None:
        return RedirectResponse(_next(next), status_code=303)
    return render(request, "login.html", None, next=_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    check_origin(request)
    state = request.app.state
    client = request.client.host if request.client else "unknown"
    try:
        session = accounts.sign_in(
            state.ledger,
            username,
            password,
            settings=state.settings,
            limiter=state.limiter,
            client=client,
        )
    except AuthError as e:
        status = 429 if "too many" in str(e) else 401
        page = render(request, "login.html", None, next=_next(next), error=str(e))
        page.status_code = status
        return page
    response = RedirectResponse(_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        session.token,
        max_age=state.settings.session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, user: User, csrf: Annotated[str, Form()] = "") -> Response:
    check_form(request, user, csrf)
    accounts.sign_out(request.app.state.ledger, user.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request, user: User) -> Response:
    target = "/queue" if may(user.role, "review incidents") else "/incidents"
    return RedirectResponse(target, status_code=303)


def _filters_query(request: Request) -> str:
    keep = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return urlencode(keep)


@router.get("/queue")
def queue_page(request: Request, user: User, offset: int = 0) -> Response:
    require(user, "review incidents")
    ledger = api.ledger_of(request)
    q = api.queue_of(request, limit=50, offset=max(0, offset))
    show = views.shown(ledger, (), masked=False)
    items = [views.summary(r, show) for r in q.records]
    return render(
        request,
        "queue.html",
        user,
        items=items,
        waiting=q.waiting,
        orphaned=q.orphaned,
        offset=q.offset,
    )


@router.get("/incidents")
def list_page(
    request: Request,
    user: User,
    filters: api.Filtered,
    page: int = 1,
) -> Response:
    page = max(1, page)
    items, total = api.page_of(request, user, filters, page, api.PER_PAGE)
    pages = max(1, -(-total // api.PER_PAGE))
    return render(
        request,
        "list.html",
        user,
        items=items,
        total=total,
        page=page,
        pages=pages,
        f=filters,
        query=_filters_query(request),
        event_types=list(taxonomy()),
        violations=VIOLATIONS,
        review_states=REVIEW_FILTERS,
    )


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, user: User, incident_id: str) -> Response:
    body = api.incident_body(request, user, incident_id)
    text = body["document"]["text"]
    segs = views.segments(text, body["highlights"], body["evidence"])
    nav: dict[str, str | None] = {"next": None, "prev": None}
    if may(user.role, "review incidents"):
        # next: the neediest waiting incident but this one (reviewing this one takes it
        # out of the queue); previous: the one the reviewer came from
        me = body["incident_id"]
        head = api.queue_of(request, limit=2, count=False).records
        ids = [r.incident.incident_id for r in head]
        nav["next"] = next((i for i in ids if i != me), None)
        came = request.query_params.get("prev")
        nav["prev"] = came if came and came != me and len(came) <= 64 else None
    return render(
        request,
        "incident.html",
        user,
        inc=body,
        segments=segs,
        nav=nav,
        event_types=taxonomy(),
        violations=VIOLATIONS,
        count_roles=COUNT_ROLES,
    )


@router.get("/fused/{fused_id}")
def fused_page(request: Request, user: User, fused_id: str) -> Response:
    body = api.fused(request, user, fused_id)
    return render(request, "fused.html", user, f=body)


@router.get("/map")
def map_page(request: Request, user: User, filters: api.Filtered) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "map.html",
        user,
        f=filters,
        query=_filters_query(request),
        event_types=list(taxonomy()),
        violations=VIOLATIONS,
        review_states=REVIEW_FILTERS,
        tile_url=settings.tile_url or "",
        tile_attribution=settings.tile_attribution or "",
    )


@router.get("/audit")
def audit_page(request: Request, user: User, offset: int = 0) -> Response:
    require(user, "read the audit log")
    entries = api.ledger_of(request).audit_log(limit=100, offset=max(0, offset), newest_first=True)
    return render(request, "audit.html", user, entries=entries, offset=max(0, offset))


@router.get("/users")
def users_page(request: Request, user: User, error: str | None = None) -> Response:
    require(user, "manage users")
    found = accounts.users(api.ledger_of(request))
    return render(request, "users.html", user, users=found, roles=ROLES, error=error)


@router.post("/users")
def users_form(
    request: Request,
    user: User,
    action: Annotated[str, Form()],
    name: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "viewer",
    password: Annotated[str, Form()] = "",
) -> Response:
    check_form(request, user, csrf)
    require(user, "manage users")
    ledger = api.ledger_of(request)
    try:
        with request.app.state.write_lock:
            if action == "add":
                accounts.add_user(ledger, name, role, password, by=user.name, via="web")
            elif action == "remove" and name != user.name:
                accounts.remove_user(ledger, name, by=user.name, via="web")
            elif action == "role" and name != user.name:
                accounts.set_role(ledger, name, role, by=user.name, via="web")
            else:
                raise HTTPException(status_code=400, detail="unknown action")
    except HarmledgerError as e:
        return RedirectResponse("/users?" + urlencode({"error": str(e)}), status_code=303)
    return RedirectResponse("/users", status_code=303)


@router.get("/api/docs")
def api_docs(request: Request, user: User) -> Response:
    return render(request, "docs.html", user)
