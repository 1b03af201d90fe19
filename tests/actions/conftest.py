"""Fixtures of the action tests: a small hand-made knowledge base for the pure unit tests and
the real retriever (built index) for the conversation tests (marked slow)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.actions.conversation import Conversation

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions import deps  # noqa: E402
from index.domain import (  # noqa: E402
    Actor,
    Contact,
    DatePoint,
    Knowledge,
    Milestone,
    Period,
    Project,
    Region,
    Source,
    Topic,
)
from tests.support import unavailable  # noqa: E402

SLIDES = "praesentation-2019"


@pytest.fixture(scope="session")
def tiny() -> Knowledge:
    """Two regions, three projects, one state actor and one topic: enough for formatting."""
    office = Contact(
        name="Christiane Boschin-Heinz",
        role="Leitung Projektbüro",
        organisation="Stadt Paderborn",
        email="c.boschin-heinz@paderborn.de",
        phone="+49(5251)882371",
    )
    regions = (
        Region(
            id="owl-paderborn",
            name="Digitale Modellregion OWL",
            short_name="OWL / Paderborn",
            lead_municipality="Stadt Paderborn",
            partners=("Stadt Bielefeld", "Kreis Paderborn"),
            district_government="Bezirksregierung Detmold",
            summary="OWL.",
            contacts=(office,),
            source=Source(SLIDES, "Folie „Modellregionen“"),
        ),
        Region(
            id="soest",
            name="Digitale Modellregion Soest",
            short_name="Soest",
            lead_municipality="Stadt Soest",
            partners=("Stadt Lippstadt",),
            district_government="Bezirksregierung Arnsberg",
            summary="Soest.",
            contacts=(Contact(name="Radandt", salutation="Herr"),),
            source=Source(SLIDES, "Folie „Modellregionen“"),
        ),
    )
    projects = (
        Project(
            id="owl-paderborn-digitales-buergerbuero",
            title="Digitales Bürgerbüro",
            region="owl-paderborn",
            municipality="Stadt Paderborn",
            summary="Paderborn baut ein digitales Bürgerbüro auf.",
            description="• Serviceportal\n• Mitarbeiter-App\nFoto: Jane Doe | Stadt Paderborn",
            topics=("Bürgerbüro",),
            status="running",
            contacts=(Contact(name="Thorsten Unterberg", email="t.unterberg@paderborn.de"),),
            source=Source(SLIDES, "Folie „Digitales Bürgerbüro – Stadt PB“"),
            period=Period(
                printed="Oktober 2018 – Ende 2021",
                start=DatePoint("Oktober 2018", "2018-10", "month"),
                end=DatePoint("Ende 2021", "2021", "season"),
            ),
            milestones=(Milestone("Q4/2019", "Start Serviceportal"),),
        ),
        Project(
            id="soest-govbot",
            title="GovBot",
            region="soest",
            municipality="Stadt Soest",
            summary="Soest plant einen GovBot.",
            description="Soest plant einen GovBot.",
            topics=("Chatbot",),
            status="planned",
            contacts=(Contact(name="Gerke", salutation="Frau", email="u.gerke@soest.de"),),
            source=Source(SLIDES, "Folie „GovBot (in Planung)“"),
            transferability="Übertragbarkeit ist gewährleistet",
        ),
        Project(
            id="land-gsp-integration",
            title="Gewerbe-Service-Portal NRW",
            region=None,
            actor="kdn",
            municipality="KDN",
            summary="Integration des GSP.",
            description="Integration des GSP.",
            topics=("Gewerbe",),
            status="in_review",
            contacts=(),
            source=Source(SLIDES, "Folie „GSP“"),
        ),
        Project(
            id="soest-langer-titel",
            title="Digitale Bürgerdienstleistungen – Weiterentwicklung des Bürgerportals",
            aliases=("Bürgerportal Soest", "BP"),
            region="soest",
            municipality="Stadt Soest",
            summary="Soest erweitert sein Bürgerportal.",
            description="Soest erweitert sein Bürgerportal.",
            topics=("Bürgerportal",),
            status="running",
            contacts=(),
            source=Source(SLIDES, "Folie „Bürgerportal“"),
            period=Period(
                printed="August 2019 – Juni 2021",
                start=DatePoint("August 2019", "2019-08", "month"),
                end=DatePoint("Juni 2021", "2021-06", "month"),
            ),
        ),
    )
    actors = (
        Actor(
            id="kdn",
            name="KDN",
            short_name="KDN",
            summary="KDN.",
            contacts=(),
            source=Source(SLIDES, "Folie „KDN“"),
        ),
    )
    topics = (
        Topic(
            id="programm-ziel",
            title="Ziel des Programms",
            text="Ziel ist es, alle Bereiche ganzheitlich zu denken. " * 40,
            source=Source("bericht-2017", "Seite 2"),
        ),
    )
    return Knowledge(regions, actors, projects, topics, digest="test")


@pytest.fixture(scope="session")
def real_retriever() -> deps.RetrieverLike:
    """The real retriever on the built index (`python -m index build`)."""
    from index.retriever import open_retriever

    try:
        return open_retriever()
    except Exception as exc:  # missing or stale index: a failure in CI (tests.support)
        unavailable(f"no usable index ({exc}); run `make index`")


@pytest.fixture
def retriever(real_retriever: deps.RetrieverLike) -> Iterator[deps.RetrieverLike]:
    """Inject the real retriever into the action server's dependency provider."""
    deps.set_retriever(real_retriever)
    yield real_retriever
    deps.set_retriever(None)


@pytest.fixture
def chat(retriever: deps.RetrieverLike) -> Conversation:
    """A fresh conversation through the real action with the real retriever."""
    return Conversation(retriever)
