"""The non-response follow-up: a random share of those without an answer is phoned; the rest is unchanged."""

from __future__ import annotations

import numpy as np

from parallax.simulate import simulate_world


def test_a_follow_up_leaves_the_invites_and_online_answers_as_they_were() -> None:
    plain = simulate_world(seed=5, days=4, customers=3000)
    phoned = simulate_world(seed=5, days=4, customers=3000, followup=1 / 3)
    for name in ("trip", "invited_h", "answered", "comment"):
        assert np.array_equal(getattr(plain.surveys, name), getattr(phoned.surveys, name))
    assert not plain.surveys.called.any() and not plain.surveys.by_phone.any()


def test_the_follow_up_phones_a_random_share_and_the_angriest_still_answer_least() -> None:
    world = simulate_world(seed=3, days=10, followup=1 / 3)
    s, csat = world.surveys, world.trips.csat[world.surveys.trip]
    assert not (s.by_phone & s.answered).any() and not (s.by_phone & ~s.called).any()
    # called at random: the called share is the same for the happy and the angry non-respondents
    silent = ~s.answered
    for group in (csat >= 4, csat <= 2):
        assert abs(s.called[silent & group].mean() - 1 / 3) < 0.04
    reached = s.called & silent
    rate = [s.by_phone[reached & (csat == c)].mean() for c in (1, 5)]
    assert 0.05 < rate[0] < 0.3 < 0.45 < rate[1] < 0.8  # online: 4 % and 39 %
    # answered at the call, two days after the invite, before the export
    lag = s.submitted_h[s.by_phone] - s.invited_h[s.by_phone]
    assert lag.min() >= 48.0 and lag.max() <= 56.0 + 1e-6
    assert s.submitted_h[s.by_phone].max() < world.export_h
