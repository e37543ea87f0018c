"""Each built-in mapping on a small inline sample, and on the real shared files where present."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from ingest_factories import TICKET_HEADER, count, run, stored, ticket_row, write_csv
from sqlalchemy.orm import Session, sessionmaker

from parallax.kit.db import make_engine, make_sessionmaker
from parallax.store.migrate import upgrade

SURVEY_HEADER = [
    "response_id",
    "respondent",
    "email",
    "score_type",
    "score",
    "comment",
    "invited_at",
    "submitted_at",
    "route",
    "origin",
    "destination",
    "airport",
    "cabin",
    "loyalty_tier",
    "flight_number",
    "trip_date",
    "delay_minutes",
    "disrupted",
]
SEGMENT_CELLS = ["JFK-LAX", "JFK", "LAX", "JFK", "economy", "gold", "PX12", "2026-01-04", "95", "true"]


def test_survey_answers_and_unanswered_invites(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = write_csv(
        tmp_path / "surveys.csv",
        SURVEY_HEADER,
        [
            [
                "R1",
                "Ana",
                "ana@example.com",
                "csat",
                "2",
                "late again",
                "2026-01-05T08:00:00Z",
                "2026-01-05T09:30:00Z",
                *SEGMENT_CELLS,
            ],
            [
                "R2",
                "Ana",
                "ana@example.com",
                "nps",
                "3",
                "",
                "2026-01-05T08:00:00Z",
                "2026-01-05T09:31:00Z",
                *SEGMENT_CELLS,
            ],
            ["R3", "Bo", "bo@example.com", "csat", "", "", "2026-01-05T08:00:00Z", "", *SEGMENT_CELLS],
        ],
    )
    summary = run(path, "survey", session_factory)
    assert (summary.inserted, summary.rejected) == (3, 0)
    answer, nps, invite = stored(session_factory)
    assert (answer.kind, answer.solicited, answer.score_type, answer.score_value) == (
        "survey_response",
        True,
        "csat",
        2.0,
    )
    assert answer.occurred_at == datetime(2026, 1, 5, 9, 30) and answer.invited_at == datetime(2026, 1, 5, 8)
    assert (answer.channel, answer.author_email, answer.text, answer.source) == (
        "survey",
        "ana@example.com",
        "late again",
        "survey-export",
    )
    assert answer.segments["route"] == "JFK-LAX" and answer.segments["disrupted"] == "true"
    assert (nps.score_type, nps.score_value) == ("nps", 3.0)
    assert (invite.kind, invite.solicited, invite.score_type, invite.score_value) == (
        "survey_invite",
        True,
        None,
        None,
    )
    assert invite.occurred_at == datetime(2026, 1, 5, 8) and invite.raw == {"score_type": "csat"}


def test_tickets_are_organic_with_their_csat_on_the_row(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = write_csv(
        tmp_path / "tickets.csv", TICKET_HEADER, [ticket_row(1), ticket_row(2, csat="", channel="")]
    )
    assert run(path, "tickets", session_factory).inserted == 2
    rated, unrated = stored(session_factory)
    assert (rated.kind, rated.solicited, rated.score_type, rated.score_value) == (
        "ticket",
        False,
        "csat",
        4.0,
    )
    assert (rated.ticket_id, rated.status, rated.channel) == ("T1", "solved", "email")
    assert rated.first_response_at == datetime(2026, 1, 5, 11, 30) and rated.closed_at == datetime(
        2026, 1, 6, 9
    )
    assert rated.text == "Bag lost\n\nMy bag did not arrive on PX123."
    assert rated.segments == {
        "queue": "baggage",
        "agent": "agent-7",
        "route": "JFK-LAX",
        "loyalty_tier": "gold",
    }
    assert rated.raw == {"subject": "Bag lost"}
    assert (unrated.score_type, unrated.score_value, unrated.channel) == (None, None, "ticket")


def test_reviews_map_platform_to_channel_and_stars(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    header = ["review_id", "author", "stars", "title", "text", "date", "platform", "route"]
    rows = [
        ["V1", "Kim", "1", "Awful", "Lost my bag", "2026-01-07", "tripadvisor", "JFK-LAX"],
        ["V2", "Lee", "5", "", "Great crew", "2026-01-08T10:00:00Z", "app_store", ""],
    ]
    run(write_csv(tmp_path / "reviews.csv", header, rows), "reviews", session_factory)
    trip, app = stored(session_factory)
    assert (trip.channel, trip.kind, trip.solicited, trip.score_type, trip.score_value) == (
        "review",
        "review",
        False,
        "stars",
        1.0,
    )
    assert trip.text == "Awful\n\nLost my bag" and trip.segments == {
        "platform": "tripadvisor",
        "route": "JFK-LAX",
    }
    assert (app.channel, app.text, app.segments) == ("app_store", "Great crew", {"platform": "app_store"})


AIRLINE_HEADER = [
    "tweet_id",
    "airline_sentiment",
    "airline_sentiment_confidence",
    "negativereason",
    "negativereason_confidence",
    "airline",
    "airline_sentiment_gold",
    "name",
    "negativereason_gold",
    "retweet_count",
    "text",
    "tweet_coord",
    "tweet_created",
    "tweet_location",
    "user_timezone",
]


def test_airline_tweets_keep_long_ids_as_text_and_convert_offsets(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    row = [
        "570306133677760513",
        "negative",
        "1.0",
        "Late Flight",
        "0.7",
        "United",
        "",
        "jo",
        "",
        "0",
        "@united late again",
        "",
        "2015-02-24 11:35:52 -0800",
        "NYC",
        "Eastern Time (US & Canada)",
    ]
    run(write_csv(tmp_path / "tweets.csv", AIRLINE_HEADER, [row, row]), "airline-tweets", session_factory)
    (tweet,) = stored(session_factory)
    assert tweet.external_id == "570306133677760513"
    assert tweet.occurred_at == datetime(2015, 2, 24, 19, 35, 52)
    assert (tweet.channel, tweet.kind, tweet.author_handle, tweet.segments) == (
        "twitter",
        "post",
        "jo",
        {"airline": "United"},
    )
    assert tweet.raw["airline_sentiment"] == "negative" and tweet.raw["negativereason"] == "Late Flight"


def test_support_tweets_direction_replies_and_float_ids(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    header = [
        "tweet_id",
        "author_id",
        "inbound",
        "created_at",
        "text",
        "response_tweet_id",
        "in_response_to_tweet_id",
    ]
    rows = [
        ["3", "115712", "True", "Tue Oct 31 22:08:27 +0000 2017", "@sprintcare no one answers", "1", ""],
        ["1", "sprintcare", "False", "Tue Oct 31 22:10:47 +0000 2017", "@115712 we can help", "2", "3.0"],
    ]
    run(write_csv(tmp_path / "twcs.csv", header, rows), "support-tweets", session_factory)
    customer, brand = stored(session_factory)
    assert (customer.direction, customer.kind, customer.in_reply_to, customer.author_handle) == (
        "inbound",
        "post",
        None,
        "115712",
    )
    assert (brand.direction, brand.kind, brand.in_reply_to, brand.segments) == (
        "outbound",
        "reply",
        "3",
        {"brand": "sprintcare"},
    )
    assert brand.occurred_at == datetime(2017, 10, 31, 22, 10, 47) and brand.raw == {"response_tweet_id": "2"}


CFPB_HEADER = [
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Consumer complaint narrative",
    "Company public response",
    "Company",
    "State",
    "ZIP code",
    "Tags",
    "Consumer consent provided?",
    "Submitted via",
    "Date sent to company",
    "Company response to consumer",
    "Timely response?",
    "Consumer disputed?",
    "Complaint ID",
]


def test_cfpb_complaints_with_and_without_narrative(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    base = [
        "2019-04-02",
        "Debt collection",
        "I do not know",
        "Attempts to collect debt not owed",
        "Debt is not yours",
    ]
    rows = [
        [
            *base,
            "They keep calling me",
            "",
            "ACME BANK",
            "FL",
            "330XX",
            "",
            "Consent provided",
            "Web",
            "2019-04-02",
            "Closed with explanation",
            "Yes",
            "N/A",
            "3211111",
        ],
        [
            *base,
            "",
            "",
            "ACME BANK",
            "TX",
            "",
            "Older American",
            "",
            "Phone",
            "2019-04-03",
            "In progress",
            "No",
            "N/A",
            "3211112",
        ],
    ]
    run(write_csv(tmp_path / "complaints.csv", CFPB_HEADER, rows), "cfpb", session_factory)
    told, silent = stored(session_factory)
    assert (told.external_id, told.channel, told.kind, told.solicited) == (
        "3211111",
        "cfpb",
        "complaint",
        False,
    )
    assert (told.text, told.status, told.occurred_at) == (
        "They keep calling me",
        "closed",
        datetime(2019, 4, 2),
    )
    assert told.segments["product"] == "Debt collection" and told.segments["state"] == "FL"
    assert told.segments["timely_response"] == "yes"
    assert told.raw["Company response to consumer"] == "Closed with explanation" and told.raw[
        "Issue"
    ].startswith("Attempts")
    assert (silent.text, silent.status, silent.segments["timely_response"]) == (None, "in_progress", "no")


def test_canonical_jsonl_with_unknown_keys_kept_in_raw(
    tmp_path: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    records = [
        {
            "source": "listening",
            "external_id": "p1",
            "channel": "twitter",
            "kind": "post",
            "occurred_at": "2026-01-05T10:00:00Z",
            "author_handle": "@ana",
            "text": "JFK chaos",
            "segments": {"airport": "JFK"},
            "likes": 12,
        },
        {
            "external_id": "n1",
            "channel": "ticket",
            "kind": "agent_note",
            "direction": "outbound",
            "ticket_id": "T1",
            "occurred_at": "2026-01-05T10:05:00Z",
            "text": "called back",
        },
    ]
    path = tmp_path / "social.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n")
    assert run(path, "parallax", session_factory).inserted == 2
    post, note = stored(session_factory)
    assert (post.source, post.segments, post.raw) == ("listening", {"airport": "JFK"}, {"likes": 12})
    assert (note.source, note.direction, note.ticket_id) == ("parallax", "outbound", "T1")


def test_real_airline_tweets_all_rows_ingest_and_duplicates_collapse(
    shared_data: Path, session_factory: sessionmaker[Session], workspace: str
) -> None:
    path = shared_data / "airline-tweets" / "tweets_dev.csv"
    summary = run(path, "airline-tweets", session_factory, rejects_path=Path("/dev/null"), batch_size=5000)
    assert (summary.rows, summary.rejected) == (11_649, 0)
    assert summary.inserted == 11_525 == count(session_factory)
    assert summary.duplicates == 11_649 - 11_525


def test_real_support_and_cfpb_files_ingest_without_rejects(shared_data: Path, tmp_path: Path) -> None:
    # Mapping behaviour does not depend on the store, so these larger files run on SQLite only.
    engine = make_engine(f"sqlite:///{tmp_path / 'real.sqlite'}")
    upgrade(engine)
    session_factory = make_sessionmaker(engine)
    tweets = run(
        shared_data / "customer-support-tweets" / "twcs_head5000.csv",
        "support-tweets",
        session_factory,
        rejects_path=tmp_path / "r1.csv",
        batch_size=5000,
    )
    cfpb = run(
        shared_data / "cfpb-complaints-sample" / "complaints_sample.csv",
        "cfpb",
        session_factory,
        rejects_path=tmp_path / "r2.csv",
        batch_size=5000,
    )
    assert (tweets.inserted, tweets.rejected) == (5000, 0)
    assert (cfpb.inserted, cfpb.rejected) == (6623, 0)
    directions = {row.direction for row in stored(session_factory) if row.source == "support-tweets"}
    assert directions == {"inbound", "outbound"}
    engine.dispose()
