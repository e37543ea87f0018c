from __future__ import annotations

import dataclasses

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


def _booked(key: int, name: str | None, stems: tuple[str, ...], trip: str, booked: bool) -> PersonRecord:
    record = _record(key, name, stems)
    return dataclasses.replace(record, trips=(trip,), booked_trips=(trip,) if booked else ())


def test_two_bookings_on_one_flight_day_are_two_people() -> None:
    from parallax.identity.linkage import predict_links

    first = _booked(1, "ann lee", ("annlee",), "PX1@2026-03-02", booked=True)
    namesake = _booked(2, "ann lee", ("annlee",), "PX1@2026-03-02", booked=True)
    post = _booked(3, "ann lee", ("annlee",), "PX1@2026-03-02", booked=False)
    assert predict_links([first, post]) and predict_links([namesake, post])
    assert predict_links([first, namesake]) == []
    # The post fits both passengers equally: it is left alone rather than joining two people.
    assert predict_links([first, namesake, post]) == []


def test_a_handle_spelling_another_surname_is_another_person() -> None:
    from parallax.identity.linkage import predict_links

    bakker = _booked(1, "hamza bakker", ("hamzab",), "PX1@2026-03-02", booked=True)
    # Puts 'brennan' among the workspace's surnames; shares no block with the others.
    ula = _record(2, "ula brennan", ("ulab",))
    spells_brennan = _booked(3, "hamza", ("hbrennan",), "PX1@2026-03-02", booked=False)
    plain = _booked(3, "hamza", ("hamza",), "PX1@2026-03-02", booked=False)
    # Surnames that disagree keep the two apart whatever the threshold; the plain first name does not.
    assert predict_links([bakker, ula, spells_brennan], threshold=0.0) == []
    [same] = predict_links([bakker, ula, plain], threshold=0.0)
    assert same.evidence["name"]["weight"] > 0 and same.probability > 0.5


def test_a_post_that_fits_two_bookers_joins_neither() -> None:
    from parallax.identity.linkage import predict_links

    # Two passengers called Ann Lee, each surveyed at their own email, on the same flight a day apart;
    # the post about that flight fits both, and nothing links the two bookers to each other.
    first = _booked(1, "ann lee", ("annlee",), "PX1@2026-03-02", booked=True)
    second = _booked(2, "ann lee", ("alee",), "PX1@2026-03-03", booked=True)
    post = dataclasses.replace(_record(3, "ann lee", ("annlee",)), trips=("PX1@2026-03-02", "PX1@2026-03-03"))
    assert predict_links([first, post]) and predict_links([second, post])
    assert predict_links([first, second, post]) == []


def test_links_never_chain_two_differently_named_people_into_one() -> None:
    from parallax.identity.linkage import predict_links

    # 'Ann' fits both on one flight-day; each full name fits 'Ann' better than the other full name.
    lee = _booked(1, "ann lee", ("annlee",), "PX1@2026-03-02", booked=False)
    ito = _booked(2, "ann ito", ("annito",), "PX1@2026-03-02", booked=False)
    ann = dataclasses.replace(_booked(3, "ann", (), "PX1@2026-03-02", booked=False), booking_refs=("QX7K2P",))
    lee = dataclasses.replace(lee, booking_refs=("QX7K2P",))
    links = predict_links([lee, ito, ann], threshold=0.0)
    joined = {frozenset((link.left, link.right)) for link in links}
    assert frozenset((1, 3)) in joined and frozenset((1, 2)) not in joined
    assert not {frozenset((2, 3)), frozenset((1, 3))} <= joined


def test_an_ambiguous_newcomer_is_not_attached_to_either_candidate() -> None:
    from parallax.identity.linkage import score_candidates

    def family(record: PersonRecord) -> PersonRecord:  # one booking ref for two travellers
        return dataclasses.replace(record, booking_refs=("QX7K2P",))

    post = family(_booked(-1, "hamza", (), "PX1@2026-03-02", booked=False))
    ito = family(_booked(1, "hamza ito", ("hamzai",), "PX1@2026-03-02", booked=True))
    nakamura = family(_booked(2, "hamza nakamura", ("nakamurahamza",), "PX1@2026-03-02", booked=True))
    assert [link.right for link in score_candidates(post, [ito])] == [1]
    assert score_candidates(post, [ito, nakamura]) == []


def test_linkage_docstring_examples() -> None:
    import doctest

    from parallax.identity import linkage

    result = doctest.testmod(linkage)
    assert result.attempted > 0 and result.failed == 0
