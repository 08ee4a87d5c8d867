"""Weapon–target assignment kernel: optimal value, limits on channels and missiles, doctrine, reasons."""

import itertools

import numpy as np

from iadsim.firecontrol import assignment as a


def run(value, inside, channels, ready, salvo=1, max_attempts=2, radar_ok=None, reaction_ok=None,
        pk=None, in_flight=None, pending=None, attempts=None, judged=None, busy=None):
    value = np.array([value], float)
    n_slots = value.shape[1]
    inside = np.array([inside], bool)
    n_units = inside.shape[2]
    radar_ok = np.ones_like(inside) if radar_ok is None else np.array([radar_ok], bool)
    reaction_ok = np.ones_like(inside) if reaction_ok is None else np.array([reaction_ok], bool)
    zeros = np.zeros((1, n_slots), np.int64)
    state = dict(
        in_flight=zeros.copy() if in_flight is None else np.array([in_flight]),
        pending=np.zeros((1, n_slots), bool) if pending is None else np.array([pending]),
        attempts=zeros.copy() if attempts is None else np.array([attempts]),
        judged=np.zeros((1, n_slots), bool) if judged is None else np.array([judged]),
        busy=np.zeros((1, n_units), np.int64) if busy is None else np.array([busy]),
        ready=np.array([ready], np.int64),
    )
    out = {k: np.zeros((1, a.MAX_ORDERS), np.int64) for k in ("unit", "slot", "count", "launcher")}
    pip, tof = np.zeros((1, a.MAX_ORDERS, 3)), np.zeros((1, a.MAX_ORDERS))
    n_orders, hold = np.zeros(1, np.int64), np.zeros((1, n_slots), np.int64)
    a.assign_kernel(value, inside, radar_ok, reaction_ok, np.ones(n_units) if pk is None else np.array(pk, float),
                    np.zeros((1, n_slots, n_units, 3)), np.ones((1, n_slots, n_units)), state["in_flight"],
                    state["pending"], state["attempts"], state["judged"], state["busy"], np.array(channels, np.int64),
                    state["ready"], np.broadcast_to(np.array(salvo, np.int64), (n_units,)).copy(),
                    np.broadcast_to(np.array(max_attempts, np.int64), (n_units,)).copy(),
                    out["unit"], out["slot"], out["count"], out["launcher"], pip, tof, n_orders, hold)
    orders = [(out["unit"][0, o], out["slot"][0, o], out["count"][0, o]) for o in range(n_orders[0])]
    return orders, hold[0], state


def test_channels_go_to_the_most_valuable_threats():
    orders, hold, state = run([0.2, 0.9, 0.5], [[True], [True], [True]], channels=[2], ready=[[8]])
    assert sorted(slot for _, slot, _ in orders) == [1, 2]
    assert hold[0] == a.ENGAGEABLE and state["busy"][0, 0] == 2 and state["ready"][0, 0, 0] == 6


def test_assignment_is_optimal_across_units():
    # unit 0 (Pk 0.9) reaches threats 0 and 1; unit 1 (Pk 0.5) reaches only threat 1: optimum uses both units
    value = [1.0, 1.0]
    orders, _, _ = run(value, [[True, False], [True, True]], channels=[1, 1], ready=[[4], [4]], pk=[0.9, 0.5])
    assert sorted((u, s) for u, s, _ in orders) == [(0, 0), (1, 1)]
    best = max(sum(p for p in combo) for combo in itertools.product([0.9, 0], [0.5, 0]))
    assert np.isclose(sum({0: 0.9, 1: 0.5}[u] for u, _, _ in orders), best)


def test_salvo_takes_missiles_across_launchers_and_missiles_limit_offers():
    orders, _, state = run([1.0], [[True]], channels=[4], ready=[[1, 2]], salvo=[2])
    assert orders == [(0, 0, 2)] and state["ready"][0, 0].tolist() == [0, 1]
    orders, hold, _ = run([1.0, 0.5], [[True], [True]], channels=[4], ready=[[0, 0]])
    assert orders == [] and hold.tolist() == [a.NO_MISSILE, a.NO_MISSILE]


def test_reasons_follow_the_furthest_stage():
    _, hold, _ = run([1.0, 1.0, 1.0, 0.0], [[False], [True], [True], [True]], channels=[1], ready=[[4]],
                     reaction_ok=[[True], [False], [True], [True]], radar_ok=[[True], [True], [True], [True]])
    assert hold.tolist() == [a.OUTSIDE, a.REACTION, a.BUSY, a.NOT_A_THREAT]
    _, hold, _ = run([1.0], [[True]], channels=[1], ready=[[4]], busy=[1])
    assert hold.tolist() == [a.NO_CHANNEL]


def test_doctrine_waits_for_assessment_and_respects_attempts_and_judged_kills():
    _, hold, _ = run([1.0] * 4, [[True]] * 4, channels=[4], ready=[[8]], in_flight=[1, 0, 0, 0],
                     pending=[False, True, False, False], attempts=[1, 1, 2, 1], judged=[False, False, False, True])
    assert hold.tolist() == [a.BUSY, a.BUSY, a.ATTEMPTS_USED, a.JUDGED_KILLED]
