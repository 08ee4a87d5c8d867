"""Track management for one scan: association in two stages, filter updates, M-of-N confirmation, deletion, initiation.

Per replication (numba kernel, ``prange`` over replications):
1. confirmed tracks against all valid measurements (GNN, ``iadsim.tracking.association``);
2. tentative tracks against the measurements left over;
3. every assigned track: one IMM cycle to its measurement's time (``iadsim.tracking.imm``); a hit;
4. every other live track within ``max_range_m`` of the radar at ``scan_time_s`` and inside the swept azimuth
   sector: a missed look;
5. rules: a tentative track with M hits is confirmed; one that can no longer reach M hits within its first N looks
   is deleted; a confirmed track is deleted after K consecutive missed looks or when the trace of its position
   covariance (at its update time if hit, at ``scan_time_s`` if missed) exceeds the limit;
6. each measurement still unused starts a tentative track (single-point initiation) in a free or deleted slot.
The same rules as Stone Soup's ``MultiTargetTracker`` with a ``MultiMeasurementInitiator`` (confirmed tracks
first; left-over detections go to the initiator's tentative tracks, and the rest start new ones).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numba
from numba import njit, prange

from iadsim.tracking.association import associate_stage
from iadsim.tracking.config import KernelParameters, TrackerConfig
from iadsim.tracking.filters import (
    cv_process_noise_blocks,
    enu_from_polar,
    initiate_from_polar,
    predict_cv,
    predicted_position_covariance,
)
from iadsim.tracking.imm import effective_noise_intensity, imm_update
from iadsim.tracking.table import CONFIRMED, DELETED, FREE, TENTATIVE, MeasurementBatch, ScanAssociation, TrackTable

__all__ = ["predict_kinematics", "predict_to", "update_tracks"]


@lru_cache(maxsize=64)
def _kernel_parameters(config: TrackerConfig) -> KernelParameters:
    return config.kernel_parameters()


@njit(cache=True)
def _slots_with_status(status_row, wanted):
    count = 0
    for slot in range(status_row.shape[0]):
        if status_row[slot] == wanted:
            count += 1
    slots = np.empty(count, dtype=np.int64)
    count = 0
    for slot in range(status_row.shape[0]):
        if status_row[slot] == wanted:
            slots[count] = slot
            count += 1
    return slots


@njit(cache=True)
def _predicted_position_trace(state, covariance, mode_probability, dt_s, params):
    (mode_noise, transition, interval_s, _, noise_model) = params
    intensity = effective_noise_intensity(mode_probability, dt_s, transition, interval_s, mode_noise)
    q_pp, _, _ = cv_process_noise_blocks(dt_s, intensity, noise_model)
    position_covariance = np.empty((3, 3))
    predicted_position_covariance(covariance, dt_s, q_pp, position_covariance)
    return position_covariance[0, 0] + position_covariance[1, 1] + position_covariance[2, 2]


@njit(cache=True)
def _scan_one_replication(r, table, scan, filter_params, rules, outputs):
    (state, covariance, mode_state, mode_covariance, mode_probability, t_s, status, track_id, look_count, hit_count,
     hit_history, consecutive_misses, update_count, radar_last_update_s, initiation_time_s, confirmation_time_s,
     next_track_id, dropped_initiations) = table
    (polar, measurement_time_s, valid, scan_time_s, radar_position_m, sigmas, max_range_m, radar_index, sector_start_rad,
     sector_width_rad) = scan
    (mode_noise, transition, interval_s, initial_mode_probability, noise_model) = filter_params
    (gate_threshold, cost_code, confirm_hits, confirm_looks, delete_after_misses, max_position_variance_m2,
     velocity_sigma_mps) = rules
    (out_track_id, out_started, out_confirmed) = outputs
    capacity = status.shape[1]

    n_valid = 0
    for m in range(polar.shape[1]):
        if valid[r, m]:
            n_valid += 1
    measurement_local = np.empty(n_valid, dtype=np.int64)
    measurement_enu = np.empty((n_valid, 3))
    b = 0
    for m in range(polar.shape[1]):
        if valid[r, m]:
            measurement_local[b] = m
            enu_from_polar(polar[r, m, 0], polar[r, m, 1], polar[r, m, 2], measurement_enu[b])
            for i in range(3):
                measurement_enu[b, i] += radar_position_m[i]
            b += 1

    # Stages 1 and 2: confirmed tracks first, then tentative tracks on what is left.
    used = np.zeros(n_valid, dtype=np.bool_)
    measurement_of_slot = np.full(capacity, -1, dtype=np.int64)
    for wanted in (CONFIRMED, TENTATIVE):
        if n_valid == 0:
            break  # most slices of a revolution hold no detection: nothing to associate
        slots = _slots_with_status(status[r], wanted)
        n_left = n_valid - used.sum()
        left = np.empty(n_left, dtype=np.int64)
        k = 0
        for b in range(n_valid):
            if not used[b]:
                left[k] = b
                k += 1
        taken = associate_stage(
            r, slots, measurement_local[left], state, covariance, mode_probability, t_s, polar, measurement_enu[left],
            measurement_time_s, sigmas, radar_position_m, transition, interval_s, mode_noise, noise_model,
            gate_threshold, cost_code,
        )
        for a in range(slots.shape[0]):
            if taken[a] >= 0:
                b = left[taken[a]]
                used[b] = True
                measurement_of_slot[slots[a]] = b

    # Hits, misses, confirmation and deletion of the tracks that existed before this scan.
    for slot in range(capacity):
        if status[r, slot] != TENTATIVE and status[r, slot] != CONFIRMED:
            continue
        b = measurement_of_slot[slot]
        if b >= 0:
            m = measurement_local[b]
            imm_update(
                mode_state[r, slot], mode_covariance[r, slot], mode_probability[r, slot],
                measurement_time_s[r, m] - t_s[r, slot], polar[r, m], sigmas, radar_position_m, transition,
                interval_s, mode_noise, noise_model, state[r, slot], covariance[r, slot],
            )
            t_s[r, slot] = measurement_time_s[r, m]
            look_count[r, slot] += 1
            hit_count[r, slot] += 1
            hit_history[r, slot] = (hit_history[r, slot] << np.uint64(1)) | np.uint64(1)
            consecutive_misses[r, slot] = 0
            update_count[r, slot] += 1
            radar_last_update_s[r, slot, radar_index] = measurement_time_s[r, m]
            if status[r, slot] == TENTATIVE and hit_count[r, slot] >= confirm_hits:
                status[r, slot] = CONFIRMED
                confirmation_time_s[r, slot] = measurement_time_s[r, m]
            if status[r, slot] == CONFIRMED:
                trace = covariance[r, slot, 0, 0] + covariance[r, slot, 1, 1] + covariance[r, slot, 2, 2]
                if trace > max_position_variance_m2:
                    status[r, slot] = DELETED
            out_track_id[r, m] = track_id[r, slot]
            out_confirmed[r, m] = status[r, slot] == CONFIRMED
            continue
        dt_s = scan_time_s[r] - t_s[r, slot]
        east = state[r, slot, 0] + dt_s * state[r, slot, 3] - radar_position_m[0]
        north = state[r, slot, 1] + dt_s * state[r, slot, 4] - radar_position_m[1]
        up = state[r, slot, 2] + dt_s * state[r, slot, 5] - radar_position_m[2]
        if east**2 + north**2 + up**2 > max_range_m * max_range_m:
            continue  # outside this radar's coverage: not a look
        if sector_width_rad < 2.0 * np.pi:
            azimuth = np.arctan2(east, north)
            if (azimuth - sector_start_rad[r]) % (2.0 * np.pi) >= sector_width_rad:
                continue  # the beam did not pass the track in this slice of its revolution: not a look
        look_count[r, slot] += 1
        hit_history[r, slot] = hit_history[r, slot] << np.uint64(1)
        consecutive_misses[r, slot] += 1
        if status[r, slot] == TENTATIVE:
            if hit_count[r, slot] + (confirm_looks - look_count[r, slot]) < confirm_hits:
                status[r, slot] = DELETED
        elif consecutive_misses[r, slot] >= delete_after_misses:
            status[r, slot] = DELETED
        elif (
            _predicted_position_trace(state[r, slot], covariance[r, slot], mode_probability[r, slot], dt_s,
                                      filter_params) > max_position_variance_m2
        ):
            status[r, slot] = DELETED

    # Initiation: each unused measurement, in index order, takes the first free or deleted slot.
    slot = 0
    for b in range(n_valid):
        if used[b]:
            continue
        while slot < capacity and status[r, slot] != FREE and status[r, slot] != DELETED:
            slot += 1
        if slot == capacity:
            dropped_initiations[r] += 1
            continue
        m = measurement_local[b]
        initiate_from_polar(polar[r, m], sigmas, radar_position_m, velocity_sigma_mps, state[r, slot],
                            covariance[r, slot])
        for j in range(mode_probability.shape[2]):
            mode_state[r, slot, j] = state[r, slot]
            mode_covariance[r, slot, j] = covariance[r, slot]
            mode_probability[r, slot, j] = initial_mode_probability[j]
        t_s[r, slot] = measurement_time_s[r, m]
        status[r, slot] = CONFIRMED if confirm_hits <= 1 else TENTATIVE
        track_id[r, slot] = next_track_id[r]
        next_track_id[r] += 1
        look_count[r, slot] = 1
        hit_count[r, slot] = 1
        hit_history[r, slot] = np.uint64(1)
        consecutive_misses[r, slot] = 0
        update_count[r, slot] = 1
        radar_last_update_s[r, slot, :] = np.nan
        radar_last_update_s[r, slot, radar_index] = measurement_time_s[r, m]
        initiation_time_s[r, slot] = measurement_time_s[r, m]
        confirmation_time_s[r, slot] = measurement_time_s[r, m] if confirm_hits <= 1 else np.nan
        out_track_id[r, m] = track_id[r, slot]
        out_started[r, m] = True
        out_confirmed[r, m] = confirm_hits <= 1


@njit(cache=True, parallel=True)
def _scan_kernel_parallel(table, scan, filter_params, rules, outputs):
    for r in prange(table[0].shape[0]):
        _scan_one_replication(np.int64(r), table, scan, filter_params, rules, outputs)


@njit(cache=True)
def _scan_kernel_serial(table, scan, filter_params, rules, outputs):
    """For R = 1 or a single thread: no thread-pool wake-up (on a busy machine that costs milliseconds per call),
    and a worker process with one thread never compiles the parallel kernel (~18 s on a cold cache)."""
    for r in range(table[0].shape[0]):
        _scan_one_replication(r, table, scan, filter_params, rules, outputs)


_TABLE_FIELDS = (
    "state", "covariance", "mode_state", "mode_covariance", "mode_probability", "t_s", "status", "track_id",
    "look_count", "hit_count", "hit_history", "consecutive_misses", "update_count", "radar_last_update_s",
    "initiation_time_s", "confirmation_time_s", "next_track_id", "dropped_initiations",
)


def _check_compatible(table: TrackTable, config: TrackerConfig, meas: MeasurementBatch, radar_index: int) -> None:
    if table.state.shape[1] != config.capacity or table.mode_probability.shape[2] != config.n_modes:
        raise ValueError("config does not match the table (capacity or number of IMM modes differ)")
    if table.radar_last_update_s.shape[2] != config.n_radars:
        raise ValueError("config.n_radars does not match the table")
    if not 0 <= radar_index < config.n_radars:
        raise ValueError(f"radar_index {radar_index} outside 0..{config.n_radars - 1}")
    if meas.n_replications != table.n_replications:
        raise ValueError(f"measurements have {meas.n_replications} replications, the table {table.n_replications}")


def update_tracks(table: TrackTable, config: TrackerConfig, meas: MeasurementBatch, radar_index: int) -> ScanAssociation:
    """Feed one radar scan (every replication) into the track table, in place. Returns what each measurement did.

    Scans from several radars go into the same table in time order; ``radar_index`` (0 … n_radars-1) records
    which radar updated each track.
    """
    _check_compatible(table, config, meas, radar_index)
    p: KernelParameters = _kernel_parameters(config)
    shape = meas.t_s.shape
    outputs = (np.full(shape, -1, dtype=np.int64), np.zeros(shape, dtype=np.bool_), np.zeros(shape, dtype=np.bool_))
    parallel = table.n_replications > 1 and numba.get_num_threads() > 1
    kernel = _scan_kernel_parallel if parallel else _scan_kernel_serial
    kernel(
        tuple(getattr(table, name) for name in _TABLE_FIELDS),
        (meas.polar, meas.t_s, meas.valid, meas.scan_time_s, meas.radar_position_m, meas.sigmas,
         float(meas.max_range_m), int(radar_index), meas.sector_start_rad, float(meas.sector_width_rad)),
        (p.mode_noise_intensity, p.transition_reference, p.transition_interval_s, p.initial_mode_probability,
         p.noise_model),
        (p.gate_threshold, p.cost_code, p.confirm_hits, p.confirm_looks, p.delete_after_missed_looks,
         p.max_position_variance_m2, p.velocity_sigma_mps),
        outputs,
    )
    return ScanAssociation(track_id=outputs[0], started=outputs[1], confirmed=outputs[2])


@njit(cache=True, parallel=True)
def _predict_kernel(state, covariance, mode_probability, t_s, status, time_s, filter_params, state_out,
                    covariance_out):
    (mode_noise, transition, interval_s, _, noise_model) = filter_params
    for r in prange(state.shape[0]):
        for slot in range(state.shape[1]):
            if status[r, slot] != TENTATIVE and status[r, slot] != CONFIRMED:
                continue
            dt_s = time_s[r] - t_s[r, slot]
            intensity = effective_noise_intensity(mode_probability[r, slot], dt_s, transition, interval_s, mode_noise)
            predict_cv(state[r, slot], covariance[r, slot], dt_s, intensity, noise_model, state_out[r, slot],
                       covariance_out[r, slot])


def predict_to(table: TrackTable, t_s: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Live tracks' combined estimate predicted to ``t_s`` (scalar or (R,)); the table is not changed.

    Returns ``(state (R,T,6), covariance (R,T,6,6))``; free and deleted slots are NaN. For IMM tracks the result
    is the exact mean and covariance of the predicted mode mixture (``iadsim.tracking.imm``).
    """
    p = _kernel_parameters(table.config)
    time_s = np.array(np.broadcast_to(np.asarray(t_s, dtype=np.float64), (table.n_replications,)), order="C")
    state_out = np.full(table.state.shape, np.nan)
    covariance_out = np.full(table.covariance.shape, np.nan)
    _predict_kernel(
        table.state, table.covariance, table.mode_probability, table.t_s, table.status, time_s,
        (p.mode_noise_intensity, p.transition_reference, p.transition_interval_s, p.initial_mode_probability,
         p.noise_model),
        state_out, covariance_out,
    )
    return state_out, covariance_out


def predict_kinematics(table: TrackTable, t_s: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Live tracks' combined position and velocity predicted to ``t_s`` (scalar or (R,)): ``(R,T,3)`` each, NaN in
    free and deleted slots. The mean ``F x`` of ``predict_to`` without its covariance, which fire control and the
    metrics do not need and which costs most of the prediction."""
    time_s = np.array(np.broadcast_to(np.asarray(t_s, dtype=np.float64), (table.n_replications,)), order="C")
    position = np.empty(table.state.shape[:2] + (3,))
    velocity = np.empty_like(position)
    _predict_kinematics_kernel(table.state, table.t_s, table.status, time_s, position, velocity)
    return position, velocity


@njit(cache=True)
def _predict_kinematics_kernel(state, t_s, status, time_s, position, velocity):
    for r in range(state.shape[0]):
        for slot in range(state.shape[1]):
            live = status[r, slot] == TENTATIVE or status[r, slot] == CONFIRMED
            dt_s = time_s[r] - t_s[r, slot]
            for i in range(3):
                position[r, slot, i] = state[r, slot, i] + dt_s * state[r, slot, i + 3] if live else np.nan
                velocity[r, slot, i] = state[r, slot, i + 3] if live else np.nan
