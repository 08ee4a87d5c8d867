"""The rotating search radar: who is seen, when the beam passes them, with what noise, and false alarms.

Model (Skolnik, *Introduction to Radar Systems*, 3rd ed., ch. 2; Richards, *Fundamentals of Radar Signal
Processing*, ch. 6):
- The antenna turns at a constant rate, one revolution per `scan_period_s`, from a random phase per replication
  and radar. In an engine cycle [t0, t1) the beam sweeps the sector [β(t0), β(t1)); a target whose azimuth lies
  is looked at when the beam passes it: where the beam-to-target angle, linear in time across the cycle, crosses
  zero, so a target moving in azimuth is looked at exactly once per revolution.
- A look can detect only a target inside the coverage (min/max range and elevation) with a smooth-earth line of
  sight (effective earth radius k·R, `iadsim.earth.curvature`) and, when the World has a terrain model, with no
  terrain above the ray (`iadsim.earth.terrain`).
- SNR from the radar equation in its R⁻⁴ form, SNR_dB = C + 10·log10(σ) − 40·log10(R), with C fixed per radar
  from its reference detection or its radar-equation parameters (`iadsim.sensors.detection`); the detection is a
  Bernoulli draw with Pd(SNR) of the radar's Swerling case. Looks are a scan apart, so the fluctuation is
  independent from look to look and the Bernoulli draw on Pd is exact (see `detection.draw_detections`).
- A detection is measured in range, azimuth (clockwise from north) and elevation with Gaussian noise.
- False alarms: a Poisson number per scan (`false_alarms_per_scan`), in proportion to the swept sector, placed
  uniformly in azimuth within the sector, range within [min, max] and elevation within the coverage.

All draws come from `iadsim.rng` keyed by (replication, stream, cycle, radar, entity), so a replication sees the
same radar picture whatever batch it runs in. Pd is interpolated in a per-radar table over SNR (0.01 dB grid).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from iadsim import rng
from iadsim.earth.curvature import line_of_sight_nb
from iadsim.earth.terrain import Terrain
from iadsim.raid.segments import segment_state
from iadsim.scenario.world import World
from iadsim.sensors.detection import detection_probability, reference_snr_db, snr_db_radar_equation
from iadsim.tracking.table import MeasurementBatch

SNR_GRID_DB = np.arange(-30.0, 80.0, 0.01)  # Pd table grid; Pd is ~Pfa below and ~1 above
MAX_FALSE_ALARMS_PER_LOOK = 64  # per radar and cycle; beyond it a Poisson tail is cut (documented limit)


@dataclass(frozen=True)
class RadarSet:
    """The compiled radars of a World, with what kernels need per radar."""

    antenna_m: np.ndarray  # (D, 3)
    antenna_agl_m: np.ndarray  # (D,)
    snr_constant_db: np.ndarray  # (D,) SNR of 1 m² at 1 m
    pd_table: np.ndarray  # (D, G) Pd over SNR_GRID_DB
    scan_period_s: np.ndarray
    sigmas: np.ndarray  # (D, 3) range m, azimuth rad, elevation rad
    coverage: np.ndarray  # (D, 4) min range m, max range m, min elevation rad, max elevation rad
    false_alarms_per_scan: np.ndarray
    ground_m: float
    k_factor: float

    @property
    def n_radars(self) -> int:
        return len(self.antenna_m)


@dataclass(frozen=True)
class Looks:
    """What one radar saw in one engine cycle, for every replication."""

    batch: MeasurementBatch  # detections and false alarms, padded, truth ids for metrics, the sector swept
    visible: np.ndarray  # (R, E) bool: looked at inside coverage with line of sight (detectable)


def build_radar_set(world: World) -> RadarSet:
    """Per-radar constants: SNR constant from the file's sensitivity, and the Pd-versus-SNR table."""
    radars = world.radars
    constants, tables = [], []
    for d in range(len(radars.ids)):
        pfa, n_pulses, swerling = float(radars.pfa[d]), int(radars.n_pulses[d]), int(radars.swerling[d])
        if radars.uses_reference[d]:
            ref_snr = reference_snr_db(float(radars.reference_pd[d]), pfa, n_pulses, swerling)
            constant = ref_snr - 10 * math.log10(radars.reference_rcs_m2[d]) + 40 * math.log10(radars.reference_range_m[d])
        else:
            constant = float(snr_db_radar_equation(
                1.0, 1.0, peak_power_w=float(radars.peak_power_w[d]), gain_tx_db=float(radars.gain_db[d]),
                gain_rx_db=float(radars.gain_db[d]), wavelength_m=float(radars.wavelength_m[d]),
                noise_figure_db=float(radars.noise_figure_db[d]), losses_db=float(radars.losses_db[d]),
                pulse_width_s=float(radars.pulse_width_s[d]), n_pulses_coherent=int(radars.coherent_pulses[d])))
        constants.append(constant)
        tables.append(detection_probability(SNR_GRID_DB, pfa, n_pulses, swerling))
    n = len(radars.ids)
    return RadarSet(
        antenna_m=radars.antenna_m,
        antenna_agl_m=radars.antenna_m[:, 2] - world.ground_m,
        snr_constant_db=np.array(constants, dtype=float),
        pd_table=np.array(tables, dtype=float).reshape(n, len(SNR_GRID_DB)),
        scan_period_s=radars.scan_period_s,
        sigmas=np.stack([radars.sigma_range_m, radars.sigma_azimuth_rad, radars.sigma_elevation_rad], axis=1).reshape(n, 3),
        coverage=np.stack([radars.min_range_m, radars.max_range_m, radars.min_elevation_rad, radars.max_elevation_rad], axis=1).reshape(n, 4),
        false_alarms_per_scan=radars.false_alarms_per_scan,
        ground_m=world.ground_m,
        k_factor=world.earth_k_factor,
    )


def look(radars: RadarSet, radar: int, segments, rcs_m2: np.ndarray, alive: np.ndarray, keys: np.ndarray,
         cycle: int, t0_s: float, t1_s: float, terrain: Terrain | None = None) -> Looks:
    """Radar `radar` over the cycle [t0, t1): detections of the entities alive per replication (R, E), plus
    false alarms. `segments` is the raid's SegmentTable; `terrain` (optional) masks rays that it blocks."""
    return look_all(radars, segments, rcs_m2, alive, keys, cycle, t0_s, t1_s, terrain, [radar])[0]


def look_all(radars: RadarSet, segments, rcs_m2: np.ndarray, alive: np.ndarray, keys: np.ndarray, cycle: int,
             t0_s: float, t1_s: float, terrain: Terrain | None = None, radar_indices=None) -> list[Looks]:
    """`look` for several radars at once (default: all), in one kernel call over (radar, replication) pairs: the
    looks read only the raid's truth, so the radars of one cycle are independent, and a single replication still
    spreads over the cores."""
    selected = np.arange(radars.n_radars) if radar_indices is None else np.asarray(radar_indices, dtype=np.int64)
    n_replications, n_entities = alive.shape
    capacity = n_entities + MAX_FALSE_ALARMS_PER_LOOK
    shape = (len(selected), n_replications)
    polar = np.zeros(shape + (capacity, 3))
    times = np.zeros(shape + (capacity,))
    truth = np.full(shape + (capacity,), -1, dtype=np.int64)
    count = np.zeros(shape, dtype=np.int64)
    visible = np.zeros(shape + (n_entities,), dtype=np.bool_)
    sector_start = np.zeros(shape)
    look_position = np.zeros(shape + (n_entities, 3))
    _look_kernel(*segments.arrays, segments.max_speed_mps, rcs_m2, alive, keys, selected, radars.n_radars, cycle,
                 t0_s, t1_s, radars.antenna_m, radars.antenna_agl_m, radars.snr_constant_db, radars.pd_table,
                 SNR_GRID_DB[0], SNR_GRID_DB[1] - SNR_GRID_DB[0], radars.scan_period_s, radars.sigmas,
                 radars.coverage, radars.false_alarms_per_scan, radars.ground_m, radars.k_factor,
                 polar, times, truth, count, visible, sector_start, look_position)
    results = []
    for i, radar in enumerate(selected):
        valid = np.arange(capacity)[None, :] < count[i][:, None]
        if terrain is not None:
            _mask_by_terrain(terrain, radars.antenna_m[radar], look_position[i], visible[i], truth[i], valid)
        width = min(2 * math.pi * (t1_s - t0_s) / radars.scan_period_s[radar], 2 * math.pi)
        batch = MeasurementBatch(polar=polar[i], t_s=times[i], valid=valid, radar_position_m=radars.antenna_m[radar],
                                 sigmas=radars.sigmas[radar], scan_time_s=np.full(n_replications, t1_s),
                                 max_range_m=float(radars.coverage[radar, 1]), truth_id=truth[i],
                                 sector_start_rad=sector_start[i], sector_width_rad=width)
        results.append(Looks(batch=batch, visible=visible[i]))
    return results


def _mask_by_terrain(terrain: Terrain, antenna_m, look_position, visible, truth, valid) -> None:
    """Terrain between antenna and target hides it: not visible, and its detection (drawn already — counter-based
    draws do not depend on which others happen) is dropped."""
    r_idx, e_idx = np.nonzero(visible)
    if r_idx.size == 0:
        return
    target = look_position[r_idx, e_idx]
    blocked = terrain.masks(antenna_m[0], antenna_m[1], antenna_m[2], target[:, 0], target[:, 1], target[:, 2])
    hidden = np.zeros_like(visible)
    hidden[r_idx[blocked], e_idx[blocked]] = True
    visible &= ~hidden
    rows, cols = np.nonzero(valid & (truth >= 0))
    dropped = hidden[rows, truth[rows, cols]]
    valid[rows[dropped], cols[dropped]] = False


@numba.njit(cache=True)
def _interp_pd(table, snr_db, grid_start, grid_step):
    x = (snr_db - grid_start) / grid_step
    if x <= 0.0:
        return table[0]
    i = int(x)
    if i >= len(table) - 1:
        return table[-1]
    f = x - i
    return table[i] * (1.0 - f) + table[i + 1] * f


@numba.njit(cache=True, parallel=True)
def _look_kernel(offsets, t0_seg, p0, v0, a, t_end, max_speed_mps, rcs_m2, alive, keys, selected, n_radars, cycle,
                 t0_s, t1_s, antennas, antennas_agl, snr_constants_db, pd_tables, grid_start, grid_step, scan_periods_s,
                 all_sigmas, coverages, false_alarms, ground_m, k_factor,
                 polars, all_times, truths, counts, visibles, sector_starts, look_positions):
    n_replications, n_entities = alive.shape
    two_pi = 2.0 * math.pi
    for job in numba.prange(selected.shape[0] * n_replications):
        i, r = job // n_replications, job % n_replications
        radar = selected[i]
        antenna, antenna_agl, snr_constant_db = antennas[radar], antennas_agl[radar], snr_constants_db[radar]
        pd_table, scan_period_s, sigmas = pd_tables[radar], scan_periods_s[radar], all_sigmas[radar]
        coverage, false_alarms_per_scan = coverages[radar], false_alarms[radar]
        polar, times, truth, visible = polars[i], all_times[i], truths[i], visibles[i]
        look_position = look_positions[i]
        sweep = min(two_pi * (t1_s - t0_s) / scan_period_s, two_pi)
        look_id = np.uint64(cycle) * np.uint64(n_radars) + np.uint64(radar)  # unique per (cycle, radar)
        key = keys[r]
        phase = two_pi * rng.uniform(key, rng.SCAN_PHASE, np.uint64(radar))
        beam0 = (phase + two_pi * t0_s / scan_period_s) % two_pi
        sector_starts[i, r] = beam0
        pos = np.empty(3)
        vel = np.empty(3)
        acc = np.empty(3)
        m = 0
        for e in range(n_entities):
            if not alive[r, e]:
                continue
            # The beam passes the target where the angle from beam to target, d(t) = φ(t) − β(t), crosses zero:
            # d0 = d(t0) in [0, 2π), d1 = d0 − sweep + the target's own azimuth change (unwrapped). Adjacent
            # cycles share their boundary, so every revolution counts exactly one look, even for a target that
            # moves in azimuth across a cycle boundary.
            segment_state(offsets, t0_seg, p0, v0, a, t_end, e, t0_s, pos, vel, acc)
            azimuth0 = math.atan2(pos[0] - antenna[0], pos[1] - antenna[1])
            d0 = (azimuth0 - beam0) % two_pi
            # Most targets lie outside this cycle's slice of the revolution: moving at most max_speed·Δt from a
            # horizontal distance ρ0, a target turns at most asin(that/ρ0) in azimuth, so d1 ≥ d0 − sweep − that.
            reach = max_speed_mps[e] * (t1_s - t0_s)
            horizontal0 = math.hypot(pos[0] - antenna[0], pos[1] - antenna[1])
            if reach < 0.5 * horizontal0 and d0 - sweep - math.asin(reach / horizontal0) > 1e-9:
                continue
            segment_state(offsets, t0_seg, p0, v0, a, t_end, e, t1_s, pos, vel, acc)
            azimuth1 = math.atan2(pos[0] - antenna[0], pos[1] - antenna[1])
            turn = (azimuth1 - azimuth0 + math.pi) % two_pi - math.pi
            d1 = d0 - sweep + turn
            if d1 >= 0.0:
                continue
            t_look = t0_s + d0 / (d0 - d1) * (t1_s - t0_s)
            if not segment_state(offsets, t0_seg, p0, v0, a, t_end, e, t_look, pos, vel, acc):
                continue
            dx, dy, dz = pos[0] - antenna[0], pos[1] - antenna[1], pos[2] - antenna[2]
            ground = math.hypot(dx, dy)
            slant = math.sqrt(ground * ground + dz * dz)
            elevation = math.atan2(dz, ground)
            if not (coverage[0] <= slant <= coverage[1] and coverage[2] <= elevation <= coverage[3]):
                continue
            if not line_of_sight_nb(ground, antenna_agl, pos[2] - ground_m, k_factor):
                continue
            visible[r, e] = True
            look_position[r, e, 0], look_position[r, e, 1], look_position[r, e, 2] = pos[0], pos[1], pos[2]
            snr_db = snr_constant_db + 10.0 * math.log10(rcs_m2[e]) - 40.0 * math.log10(max(slant, 1.0))
            counter = look_id * np.uint64(n_entities) + np.uint64(e)
            if rng.uniform(key, rng.DETECTION, counter) >= _interp_pd(pd_table, snr_db, grid_start, grid_step):
                continue
            polar[r, m, 0] = slant + sigmas[0] * rng.normal(key, rng.RANGE_NOISE, counter)
            polar[r, m, 1] = (math.atan2(dx, dy) + sigmas[1] * rng.normal(key, rng.AZIMUTH_NOISE, counter)) % two_pi
            polar[r, m, 2] = elevation + sigmas[2] * rng.normal(key, rng.ELEVATION_NOISE, counter)
            times[r, m] = t_look
            truth[r, m] = e
            m += 1
        mean_false = false_alarms_per_scan * sweep / two_pi
        n_false = min(rng.poisson(key, rng.FALSE_ALARM_COUNT, look_id, mean_false), polar.shape[1] - m)
        for j in range(n_false):
            base = (look_id * np.uint64(polar.shape[1]) + np.uint64(j)) * np.uint64(3)
            u_azimuth = rng.uniform(key, rng.FALSE_ALARM_PLACE, base)
            polar[r, m, 0] = coverage[0] + (coverage[1] - coverage[0]) * rng.uniform(key, rng.FALSE_ALARM_PLACE, base + np.uint64(1))
            polar[r, m, 1] = (beam0 + u_azimuth * sweep) % two_pi
            polar[r, m, 2] = coverage[2] + (coverage[3] - coverage[2]) * rng.uniform(key, rng.FALSE_ALARM_PLACE, base + np.uint64(2))
            times[r, m] = t0_s + u_azimuth * sweep / two_pi * scan_period_s
            truth[r, m] = -1
            m += 1
        counts[i, r] = m
