"""``/api/...``: the workspace's JSON API. Thin: each route checks the role, calls the
ledger, :mod:`harmledger.review` or :class:`~harmledger.fuse.ledger.Fuser`, and shapes
the answer through :mod:`.views` (masked for viewers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request

from harmledger.errors import ConfigError
from harmledger.fuse.ledger import Fuser
from harmledger.gazetteer import Gazetteer, normalize
from harmledger.model import COUNT_ROLES, VIOLATIONS
from harmledger.pipeline.actor_names import known_actors
from harmledger.review import accounts
from harmledger.review.edits import EDITABLE, Change, Reviewer, taxonomy
from harmledger.review.queue import Queue
from harmledger.review.queue import queue as review_queue
from harmledger.store import reviews as rv
from harmledger.store import rows
from harmledger.store.filters import NO_FILTERS, Filters
from harmledger.store.ledger import Ledger
from harmledger.web import views
from harmledger.web.answers import Answers
from harmledger.web.auth import api_user, require, sees_protected

router = APIRouter(prefix="/api", dependencies=[Depends(api_user)])
User = Annotated[accounts.SignedIn, Depends(api_user)]

PER_PAGE = 50


def ledger_of(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def filters_of(
    event_type: str | None = None,
    violation: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_confidence: float | None = None,
    review: str | None = None,
    q: Annotated[str | None, Query(description="Words in the report's text or title")] = None,
) -> Filters:
    """The list filters, as query parameters (the fields of :class:`Filters`)."""
    try:
        return Filters.parse(
            event_type=event_type or None,
            violation=violation or None,
            actor=actor or None,
            place=place or None,
            since=since or None,
            until=until or None,
            min_confidence=min_confidence,
            review=review or None,
            text=q or None,
        )
    except ConfigError as e:
        raise HTTPException(status_code=422, detail=str(e)) from e


Filtered = Annotated[Filters, Depends(filters_of)]


def answers(request: Request) -> Answers:
    kept: Answers = request.app.state.answers
    return kept


def page_of(
    request: Request, user: accounts.SignedIn, filters: Filters, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the incident list, as the user may see it (kept while the ledger
    does not change)."""
    masked = not sees_protected(user)
    key = ("list", masked, filters, page, per_page)
    return answers(request).get(
        key, lambda: _page(ledger_of(request), masked, filters, page, per_page)
    )


def _page(
    ledger: Ledger, masked: bool, filters: Filters, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    with ledger.engine.connect() as conn:
        if masked and filters.text:
            # a viewer's search counts only words they may see: filter the hits in Python
            pks, _ = rv.page(conn, filters, limit=rv.COUNT_CAP, offset=0)
            records = rows.records(conn, rv.by_pks(conn, pks))
        else:
            pks, total = rv.page(conn, filters, limit=per_page, offset=(page - 1) * per_page)
            records = rows.records(conn, rv.by_pks(conn, pks))
    show = views.shown(ledger, {r.incident.doc_id for r in records}, masked=masked)
    if masked and filters.text:
        texts = ledger.texts({r.incident.doc_id for r in records})
        records = [
            r
            for r in records
            if views.viewer_search_keeps(r, filters.text, texts[r.incident.doc_id], show)
        ]
        total = len(records)
        records = records[(page - 1) * per_page : page * per_page]
    return [views.summary(r, show) for r in records], total


@router.get("/me", summary="Who is signed in, and the CSRF token for writes")
def me(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "csrf": user.csrf}


@router.get("/stats", summary="What the ledger holds, and review counts")
def stats(request: Request, user: User) -> dict[str, Any]:
    ledger = ledger_of(request)
    with ledger.engine.connect() as conn:
        counts = rv.counts(conn)
    return {"ledger": ledger.stats(), "reviews": counts}


@router.get(
    "/incidents",
    summary="Incidents, filtered, searched and paged",
    description="Newest event first. `total` counts up to 1,000 (`total_capped` above).",
)
def incidents(
    request: Request,
    user: User,
    filters: Filtered,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = PER_PAGE,
) -> dict[str, Any]:
    items, total = page_of(request, user, filters, page, per_page)
    return {
        "total": total,
        "total_capped": total >= rv.COUNT_CAP,
        "page": page,
        "per_page": per_page,
        "items": items,
    }


@router.get("/queue", summary="Incidents waiting for review, most needy first")
def queue(
    request: Request,
    user: User,
    filters: Filtered,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = PER_PAGE,
) -> dict[str, Any]:
    require(user, "review incidents")
    ledger = ledger_of(request)
    q = queue_of(request, filters, limit=limit, offset=offset)
    show = views.shown(ledger, (), masked=False)
    return {
        "waiting": q.waiting,
        "waiting_capped": q.waiting >= rv.COUNT_CAP,
        "offset": offset,
        "items": [views.summary(r, show) for r in q.records],
        "orphaned": [{"incident_id": i, "doc_id": d, "reviewed_by": b} for i, d, b in q.orphaned],
    }


def queue_of(
    request: Request,
    filters: Filters = NO_FILTERS,
    *,
    limit: int = PER_PAGE,
    offset: int = 0,
    count: bool = True,
) -> Queue:
    """One page of the review queue (kept while the ledger does not change)."""
    key = ("queue", filters, limit, offset, count)
    return answers(request).get(
        key,
        lambda: review_queue(ledger_of(request), filters, limit=limit, offset=offset, count=count),
    )


def record_or_404(ledger: Ledger, ident: str) -> Any:
    try:
        record = ledger.get(ident)
    except Exception as e:
        raise HTTPException(status_code=404, detail=str(e)) from e
    if record is None:
        raise HTTPException(status_code=404, detail=f"no incident '{ident}'")
    return record


def incident_body(request: Request, user: accounts.SignedIn, ident: str) -> dict[str, Any]:
    """An incident beside its words, as the user may see it (kept while the ledger does
    not change; callers must not change it)."""
    masked = not sees_protected(user)
    key = ("incident", ident, masked)
    return answers(request).get(key, lambda: _incident(ledger_of(request), ident, masked))


def _incident(ledger: Ledger, ident: str, masked: bool) -> dict[str, Any]:
    record = record_or_404(ledger, ident)
    doc = record.incident.doc_id
    text = ledger.texts([doc]).get(doc, "")
    show = views.shown(ledger, [doc], masked=masked)
    body = views.incident(record, text, show)
    fused = ledger.fused_of(record.pk) if record.pk is not None else None
    body["fused_id"] = fused[0] if fused is not None else None
    body["fused_reports"] = fused[1] if fused is not None else 0
    return body


@router.get("/incidents/{incident_id}", summary="One incident beside its words")
def incident(request: Request, user: User, incident_id: str) -> dict[str, Any]:
    return incident_body(request, user, incident_id)


def fuser(request: Request) -> Fuser:
    """The workspace's Fuser (one per process: it keeps fusion's indexes between
    changes; call it under the write lock)."""
    made: Fuser = request.app.state.fuser
    return made


def applied(request: Request, change: Change) -> dict[str, Any]:
    """A review change's answer, after fusing the incident again when the change asks
    for it (call under the write lock)."""
    if change.fuse_again and change.record.pk is not None:
        with request.app.state.fuser_lock:  # after the warm-up, if it is under way
            fuser(request).reviewed([change.record.pk])
    return {"state": change.record.review_state, "audit": change.audit_id}


def reviewer(request: Request, user: accounts.SignedIn) -> Reviewer:
    require(user, "review incidents")
    return Reviewer(
        ledger_of(request),
        by=user.name,
        role=user.role,
        via="web",
        settings=request.app.state.settings,
    )


@router.post("/incidents/{incident_id}/accept", summary="Accept an incident as it reads")
def accept(
    request: Request,
    user: User,
    incident_id: str,
    note: Annotated[str | None, Body(embed=True)] = None,
) -> dict[str, Any]:
    with request.app.state.write_lock:
        return applied(request, reviewer(request, user).accept(incident_id, note=note))


@router.post("/incidents/{incident_id}/reject", summary="Reject an incident, with a reason")
def reject(
    request: Request,
    user: User,
    incident_id: str,
    reason: Annotated[str, Body(embed=True)],
) -> dict[str, Any]:
    with request.app.state.write_lock:
        return applied(request, reviewer(request, user).reject(incident_id, reason=reason))


@router.post("/incidents/{incident_id}/reopen", summary="Put an incident back in the queue")
def reopen(request: Request, user: User, incident_id: str) -> dict[str, Any]:
    with request.app.state.write_lock:
        return applied(request, reviewer(request, user).reopen(incident_id))


@router.post(
    "/incidents/{incident_id}/edit",
    summary="Correct fields of an incident (reviewed values over the machine's)",
    description="`changes` maps fields to values: " + ", ".join(EDITABLE) + ". Spans "
    "(`start`/`end`, `start_char`/`end_char` for dates) are character offsets into the "
    "document's text.",
)
def edit(
    request: Request,
    user: User,
    incident_id: str,
    changes: Annotated[dict[str, Any], Body(embed=True)],
    reason: Annotated[str | None, Body(embed=True)] = None,
) -> dict[str, Any]:
    with request.app.state.write_lock:
        return applied(request, reviewer(request, user).edit(incident_id, changes, reason=reason))


@router.post("/documents/{doc_id}/incidents", summary="Add an incident the machine missed")
def add_incident(
    request: Request,
    user: User,
    doc_id: str,
    start: Annotated[int, Body(embed=True)],
    end: Annotated[int, Body(embed=True)],
    changes: Annotated[dict[str, Any], Body(embed=True)],
    reason: Annotated[str | None, Body(embed=True)] = None,
) -> dict[str, Any]:
    with request.app.state.write_lock:
        change = reviewer(request, user).add_incident(
            doc_id, start=start, end=end, changes=changes, reason=reason
        )
        with request.app.state.fuser_lock:
            fuser(request).pending([doc_id])
    return {"incident_id": change.record.incident.incident_id, "audit": change.audit_id}


@router.post("/documents/{doc_id}/protect", summary="Mark words of a document protected")
def protect(
    request: Request,
    user: User,
    doc_id: str,
    start: Annotated[int, Body(embed=True)],
    end: Annotated[int, Body(embed=True)],
    kind: Annotated[str, Body(embed=True)] = "name",
) -> dict[str, Any]:
    require(user, "mark words protected")
    with request.app.state.write_lock:
        audit_id = reviewer(request, user).protect(doc_id, start=start, end=end, kind=kind)
    return {"audit": audit_id}


@router.get("/documents/{doc_id}", summary="A document's text and metadata")
def document(request: Request, user: User, doc_id: str) -> dict[str, Any]:
    ledger = ledger_of(request)
    doc = ledger.document(doc_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"no document '{doc_id}'")
    show = views.shown(ledger, [doc.id], masked=not sees_protected(user))
    prot = show.of(doc.id)
    body = {
        "id": doc.id,
        "name": doc.name,
        "meta": doc.meta.to_dict(),
        "raw_sha256": ledger.raw_sha256(doc.id),
        "names": ledger.document_names(doc.id),
    }
    body = show.scrub(doc.id, body)
    body["text"] = prot.text(doc.text)
    if sees_protected(user):
        with ledger.engine.connect() as conn:
            body["protected_marks"] = [
                {k: v for k, v in m.items() if k != "made_at"} for m in rv.marks(conn, doc.id)
            ]
    return body


@router.get("/fused/{fused_id}", summary="A fused incident: sources, ranges, disagreements")
def fused(request: Request, user: User, fused_id: str) -> dict[str, Any]:
    ledger = ledger_of(request)
    f = ledger.get_fused(fused_id)
    if f is None:
        raise HTTPException(status_code=404, detail=f"no fused incident '{fused_id}'")
    show = views.shown(ledger, {r.doc_id for r in f.reports}, masked=not sees_protected(user))
    return views.fused(f, show)


@router.post("/fused/merge", summary="Merge fused incidents: they are one event")
def merge(
    request: Request,
    user: User,
    ids: Annotated[list[str], Body(embed=True)],
    note: Annotated[str | None, Body(embed=True)] = None,
) -> dict[str, Any]:
    require(user, "merge or split")
    with request.app.state.write_lock, request.app.state.fuser_lock:
        made = fuser(request).merge(ids, note=note, by=user.name, via="web")
    return {"fused": [f.fused_id for f in made]}


@router.post("/fused/{fused_id}/split", summary="Split a fused incident")
def split(
    request: Request,
    user: User,
    fused_id: str,
    incident_ids: Annotated[list[str], Body(embed=True)] = [],  # noqa: B006
    note: Annotated[str | None, Body(embed=True)] = None,
) -> dict[str, Any]:
    require(user, "merge or split")
    with request.app.state.write_lock, request.app.state.fuser_lock:
        made = fuser(request).split(fused_id, incident_ids, note=note, by=user.name, via="web")
    return {"fused": [f.fused_id for f in made]}


@router.get("/map", summary="Incidents with coordinates, as GeoJSON")
def map_points(request: Request, user: User, filters: Filtered) -> dict[str, Any]:
    ledger = ledger_of(request)
    with ledger.engine.connect() as conn:
        found = rv.points(conn, filters)
    features = [
        {
            "type": "Feature",
            "id": p.incident_id,
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {
                "incident_id": p.incident_id,
                "date": p.date_start.isoformat() if p.date_start else None,
                "killed": p.fatalities,
                "place": p.location_name,
                "event_type": p.event_type,
            },
        }
        for p in found
    ]
    return {"type": "FeatureCollection", "features": features}


@router.get("/timeline", summary="Incidents and killed per week")
def timeline(request: Request, user: User, filters: Filtered) -> dict[str, Any]:
    ledger = ledger_of(request)
    with ledger.engine.connect() as conn:
        days = rv.weeks(conn, filters)
    return {"weeks": views.weekly(days)}


@router.get("/places", summary="Search the gazetteer by name")
def places(
    request: Request,
    user: User,
    q: Annotated[str, Query(min_length=2)],
    country: str | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 12,
) -> dict[str, Any]:
    gaz = Gazetteer.load(request.app.state.settings.user_gazetteer_dir)
    found = gaz.lookup(q, country=country or None)
    if not found:
        found = gaz.lookup_fuzzy(q, country=country or None)
    return {
        "items": [
            {
                "place_id": p.id,
                "name": p.name,
                "feature": p.feature,
                "admin1": p.admin1,
                "admin2": p.admin2,
                "country": p.country,
                "latitude": p.latitude,
                "longitude": p.longitude,
            }
            for p in found[:limit]
        ],
        "query": normalize(q),
    }


@router.get("/actors", summary="Search the actor alias table")
def actors(
    request: Request, user: User, q: Annotated[str, Query(min_length=1)], limit: int = 12
) -> dict[str, Any]:
    needle = q.casefold()
    hits = []
    for a in known_actors():
        words = (a.name, *a.aliases)
        if any(needle in w.casefold() for w in words):
            exact = any(needle == w.casefold() for w in words)
            hits.append((not exact, len(a.name), a))
    hits.sort(key=lambda h: (h[0], h[1]))
    return {
        "items": [
            {"name": a.name, "category": a.category, "country": a.country}
            for _, _, a in hits[:limit]
        ]
    }


@router.get("/taxonomy", summary="ACLED event types, violations and count roles")
def vocabulary(user: User) -> dict[str, Any]:
    return {
        "event_types": {k: list(v) for k, v in taxonomy().items()},
        "violations": list(VIOLATIONS),
        "count_roles": list(COUNT_ROLES),
    }


@router.get("/audit", summary="The audit log, newest first")
def audit_log(
    request: Request,
    user: User,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    action: str | None = None,
) -> dict[str, Any]:
    require(user, "read the audit log")
    entries = ledger_of(request).audit_log(
        limit=limit, offset=offset, newest_first=True, action=action or None
    )
    return {"items": [e.to_dict() for e in entries]}


@router.get("/users", summary="Users and their roles")
def users(request: Request, user: User) -> dict[str, Any]:
    require(user, "manage users")
    return {"items": [u.to_dict() for u in accounts.users(ledger_of(request))]}


@router.post("/users", summary="Add a user")
def add_user(
    request: Request,
    user: User,
    name: Annotated[str, Body(embed=True)],
    role: Annotated[str, Body(embed=True)],
    password: Annotated[str, Body(embed=True)],
) -> dict[str, Any]:
    require(user, "manage users")
    with request.app.state.write_lock:
        made = accounts.add_user(ledger_of(request), name, role, password, by=user.name, via="web")
    return made.to_dict()


@router.post("/users/{name}/remove", summary="Remove a user")
def remove_user(request: Request, user: User, name: str) -> dict[str, Any]:
    require(user, "manage users")
    if name == user.name:
        raise HTTPException(status_code=400, detail="you cannot remove yourself")
    with request.app.state.write_lock:
        accounts.remove_user(ledger_of(request), name, by=user.name, via="web")
    return {"removed": name}
