"""Counter-based random numbers: the same replication draws the same numbers however runs are batched.

A random number is a pure function of (replication key, stream, counter), as in counter-based generators
(Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11). The mixing function is
the SplitMix64 finaliser (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014),
applied to the key, then to the stream and the counter in turn, so that numbers for different streams and
counters are decorrelated. Kernels call `uniform`/`normal` with the indices of what they draw for (cycle,
radar, entity, ...), never a shared sequential state, so replication k computed alone equals replication k of
any batch, on any number of workers.

Keys come from one `numpy.random.SeedSequence(seed)` spawned per replication (`replication_keys`).
"""

from __future__ import annotations

import math

import numba
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_POW_53 = 9007199254740992.0

# streams: one per kind of draw, so adding draws of one kind never shifts another's numbers
DETECTION, RANGE_NOISE, AZIMUTH_NOISE, ELEVATION_NOISE = 1, 2, 3, 4
FALSE_ALARM_COUNT, FALSE_ALARM_PLACE, SCAN_PHASE = 5, 6, 7
SEEKER_NOISE, KILL, ASSESSMENT, IMPACT = 8, 9, 10, 11


def replication_keys(seed: int, first: int = 0, count: int = 1) -> np.ndarray:
    """Keys of replications first .. first+count-1 of a run seeded with `seed` (uint64 array)."""
    return np.array(
        [np.random.SeedSequence(seed, spawn_key=(k,)).generate_state(1, np.uint64)[0] for k in range(first, first + count)],
        dtype=np.uint64,
    )


@numba.njit(cache=True, inline="always")
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True, inline="always")
def bits(key, stream, counter):
    """64 random bits for (key, stream, counter)."""
    z = _mix(np.uint64(key) + _GOLDEN)
    z = _mix(z ^ (np.uint64(stream) * _GOLDEN + _GOLDEN))
    return _mix(z ^ (np.uint64(counter) * _M2 + _GOLDEN))


@numba.njit(cache=True, inline="always")
def uniform(key, stream, counter):
    """Uniform on [0, 1) with 53 random bits."""
    return float(bits(key, stream, counter) >> np.uint64(11)) / _TWO_POW_53


@numba.njit(cache=True, inline="always")
def normal(key, stream, counter):
    """Standard normal by Box–Muller (Box & Muller 1958) from the uniforms at 2·counter and 2·counter+1."""
    u1 = 1.0 - uniform(key, stream, np.uint64(2) * np.uint64(counter))  # (0, 1]: log is finite
    u2 = uniform(key, stream, np.uint64(2) * np.uint64(counter) + np.uint64(1))
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@numba.njit(cache=True)
def poisson(key, stream, counter, mean):
    """Poisson draw by inversion of the CDF (Devroye 1986, §X.3.3); for the small means of false alarms."""
    u = uniform(key, stream, counter)
    k = 0
    p = math.exp(-mean)
    cumulative = p
    while u > cumulative and k < 10_000:
        k += 1
        p *= mean / k
        cumulative += p
    return k


@numba.njit(cache=True, parallel=True)
def uniforms(keys, stream, counters):
    """uniform() for every key (R,) and counter (C,): an (R, C) array (for tests and NumPy-side draws)."""
    out = np.empty((len(keys), len(counters)))
    for r in numba.prange(len(keys)):
        for c in range(len(counters)):
            out[r, c] = uniform(keys[r], stream, counters[c])
    return out


@numba.njit(cache=True, parallel=True)
def normals(keys, stream, counters):
    out = np.empty((len(keys), len(counters)))
    for r in numba.prange(len(keys)):
        for c in range(len(counters)):
            out[r, c] = normal(keys[r], stream, counters[c])
    return out
