"""Weapon–target assignment and doctrine, per replication in a numba kernel.

Each cycle, every fire unit offers as many engagements as it has free fire channels (and missiles for them);
each threat may take one engagement at a time. The assignment maximises the total expected value
Σ P_k · threat value over (threat, engagement) pairs allowed by the envelope, the unit's radars, its reaction
time and the doctrine — the static weapon–target assignment problem (Manne 1958; Hosein & Athans 1990; review:
Kline, Ahner & Hill, "The weapon-target assignment problem", Computers & OR 105, 2019), solved exactly as a
linear assignment with one "hold fire" column per threat (zero value), so leaving a threat is always feasible.

Doctrine: an engagement fires 1 interceptor (shoot-look-shoot) or `salvo_size` (salvo) from the unit's
launchers and holds one fire channel until its last interceptor has ended. The next engagement of the same
threat waits for the kill assessment of the previous one, up to `max_engagements_per_threat`; a threat judged
killed is not engaged again.
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.tracking.assignment import solve_assignment

# Why a threat was not engaged this cycle, ordered by how far the engagement got: the reason reported for a
# threat is the furthest stage any fire unit reached with it.
(NOT_A_THREAT, JUDGED_KILLED, BUSY, ATTEMPTS_USED, NO_RADAR, OUTSIDE, REACTION, NO_CHANNEL, NO_MISSILE,
 ENGAGEABLE) = range(10)
HOLD_REASON_TEXT = {
    NOT_A_THREAT: "not evaluated as a threat",
    JUDGED_KILLED: "judged killed",
    BUSY: "engagement in progress",
    ATTEMPTS_USED: "engagements per threat used up",
    NO_RADAR: "not held by the fire unit's radar",
    OUTSIDE: "outside envelope",
    REACTION: "within the reaction time",
    NO_CHANNEL: "no free fire channel",
    NO_MISSILE: "no ready missile",
    ENGAGEABLE: "engageable, but the channels went to more valuable threats",
}
MAX_ORDERS = 64  # launch orders per replication and cycle
MAX_OFFERS_PER_UNIT = 64


@numba.njit(cache=True, parallel=True)
def assign_kernel(threat_value, inside, radar_ok, reaction_ok, pk, pip_m, tof_s,
                  eng_in_flight, eng_pending, eng_attempts, eng_judged_killed,
                  channels_busy, channels, ready, salvo_size, max_attempts,
                  order_unit, order_slot, order_count, order_launcher, order_pip, order_tof, n_orders, hold_reason):
    """Decide this cycle's launches for every replication, updating engagement and resource state in place.

    Shapes: threat_value (R,T); inside/radar_ok/reaction_ok (R,T,F) bool; pk (F,); pip_m (R,T,F,3); tof_s (R,T,F);
    eng_* (R,T); channels_busy (R,F); channels (F,); ready (R,F,L); salvo_size, max_attempts (F,).
    Outputs: order_* (R, MAX_ORDERS[, 3]); n_orders (R,); hold_reason (R,T) (codes above).
    An order takes up to salvo_size missiles, launcher by launcher; order_launcher is the first one used.
    """
    n_rep, n_slots, n_units = inside.shape
    for r in numba.prange(n_rep):
        n_orders[r] = 0
        missiles = np.zeros(n_units, dtype=np.int64)
        free = np.zeros(n_units, dtype=np.int64)
        col_unit = np.empty(n_units * MAX_OFFERS_PER_UNIT, dtype=np.int64)
        n_cols = 0
        for f in range(n_units):
            missiles[f] = ready[r, f].sum()
            free[f] = channels[f] - channels_busy[r, f]
            for _ in range(min(free[f], missiles[f], MAX_OFFERS_PER_UNIT)):  # one offer per engagement possible
                col_unit[n_cols] = f
                n_cols += 1
        # stage each (threat, unit) pair; the threat's reason is the furthest stage reached
        allowed = np.zeros((n_slots, n_units), dtype=np.bool_)
        rows = np.empty(n_slots, dtype=np.int64)
        n_rows = 0
        for s in range(n_slots):
            if threat_value[r, s] <= 0.0:
                hold_reason[r, s] = NOT_A_THREAT
                continue
            if eng_judged_killed[r, s]:
                hold_reason[r, s] = JUDGED_KILLED
                continue
            if eng_in_flight[r, s] > 0 or eng_pending[r, s]:
                hold_reason[r, s] = BUSY
                continue
            reason = ATTEMPTS_USED
            for f in range(n_units):
                if eng_attempts[r, s] >= max_attempts[f]:
                    stage = ATTEMPTS_USED
                elif not radar_ok[r, s, f]:
                    stage = NO_RADAR
                elif not inside[r, s, f]:
                    stage = OUTSIDE
                elif not reaction_ok[r, s, f]:
                    stage = REACTION
                elif free[f] <= 0:
                    stage = NO_CHANNEL
                elif missiles[f] <= 0:
                    stage = NO_MISSILE
                else:
                    stage = ENGAGEABLE
                    allowed[s, f] = True
                reason = max(reason, stage)
            hold_reason[r, s] = reason
            if reason == ENGAGEABLE:
                rows[n_rows] = s
                n_rows += 1
        if n_rows == 0:
            continue
        cost = np.full((n_rows, n_cols + n_rows), np.inf)
        for i in range(n_rows):
            s = rows[i]
            cost[i, n_cols + i] = 0.0  # hold fire: always feasible, worth nothing
            for c in range(n_cols):
                if allowed[s, col_unit[c]]:
                    cost[i, c] = -pk[col_unit[c]] * threat_value[r, s]
        col_for_row, _ = solve_assignment(cost)
        for i in range(n_rows):
            c = col_for_row[i]
            if c < 0 or c >= n_cols or n_orders[r] >= order_unit.shape[1]:
                continue
            s, f = rows[i], col_unit[c]
            taken, first = 0, -1
            for launcher in range(ready.shape[2]):
                while ready[r, f, launcher] > 0 and taken < salvo_size[f]:
                    ready[r, f, launcher] -= 1
                    taken += 1
                    if first < 0:
                        first = launcher
            o = n_orders[r]
            order_unit[r, o], order_slot[r, o], order_count[r, o], order_launcher[r, o] = f, s, taken, first
            order_tof[r, o] = tof_s[r, s, f]
            for k in range(3):
                order_pip[r, o, k] = pip_m[r, s, f, k]
            n_orders[r] += 1
            channels_busy[r, f] += 1
            eng_attempts[r, s] += 1
            eng_in_flight[r, s] += taken
            hold_reason[r, s] = BUSY
