from __future__ import annotations

import pytest

from parallax.identity.features import PersonRecord

pytest.importorskip("splink")


def _record(
    key: int, name: str | None, stems: tuple[str, ...] = (), refs: tuple[str, ...] = ()
) -> PersonRecord:
    words = name.split() if name else []
    return PersonRecord(
        key=key,
        name=name,
        first_name=words[0] if words else None,
        last_name=words[-1] if len(words) > 1 else None,
        name_stem=name.replace(" ", "") if name else None,
        stems=stems,
        booking_refs=refs,
        trips=(),
        routes=(),
        days=(),
    )


def test_a_name_alone_does_not_link_but_a_shared_booking_ref_does() -> None:
    from parallax.identity.linkage import predict_links, score_candidates

    ann = _record(1, "ann lee", ("annlee",), ("QX7K2P",))
    namesake = _record(2, "ann lee", ("annlee",))
    twitter = _record(3, None, ("annleee",), ("QX7K2P",))
    links = predict_links([ann, namesake, twitter])
    assert [(link.left, link.right) for link in links] == [(1, 3)]
    explanation = links[0].explanation()
    assert explanation["comparisons"]["booking_refs"]["weight"] > 10
    assert explanation["match_probability"] >= 0.99
    scored = score_candidates(twitter, [ann, namesake], threshold=0.0)
    best = max(scored, key=lambda link: link.weight)
    assert {best.left, best.right} == {1, 3}


def test_febrl4_subset_links_correctly() -> None:
    from parallax.identity.febrl import load, pair_set, splink_pairs

    frames, truth, link_type = load("febrl4")
    left = frames[0].head(400)
    wanted = {str(uid).replace("-org", "-dup-0") for uid in left["unique_id"]}
    right = frames[1][frames[1]["unique_id"].isin(wanted)]
    subset_truth = {pair for pair in truth if pair & set(left["unique_id"])}
    found = splink_pairs([left, right], link_type)
    assert len(found & subset_truth) / len(subset_truth) >= 0.95
    assert len(found & subset_truth) / len(found) >= 0.95
    assert pair_set([("a", "b"), ("b", "b")]) == {frozenset(("a", "b"))}
