"""Radar detection: signal-to-noise ratio → probability of detection, for Swerling targets.

Model: square-law detector, ``n_pulses`` pulses integrated non-coherently, threshold set for ``pfa``.
Every SNR here is the mean *single-pulse* SNR (after any coherent integration), as in Marcum (1960)
and Swerling (1960). Noise is normalised to unit power per pulse, so the integrated statistic is
``z = Σ |s_i + w_i|²`` with ``w_i`` unit complex Gaussian; under noise alone ``z ~ Gamma(n, 1)``.
Equations, derivations and limits: docs/models/detection.md.

Swerling cases: 0 (= 5) constant RCS; 1 and 3 fluctuate from scan to scan (constant over the n pulses
of one look); 2 and 4 fluctuate from pulse to pulse. 1/2: RCS exponential (chi-square, 2 dof);
3/4: chi-square with 4 dof (one dominant scatterer).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

BOLTZMANN_J_PER_K = 1.380649e-23  # exact in the 2019 SI
STANDARD_TEMPERATURE_K = 290.0  # IEEE reference temperature T0 for noise figure
SWERLING_CASES = (0, 1, 2, 3, 4, 5)

__all__ = [
    "albersheim_snr_db",
    "detection_probability",
    "detection_threshold",
    "draw_detections",
    "reference_snr_db",
    "required_snr_db",
    "shnidman_snr_db",
    "simulate_pd",
    "snr_db_from_reference",
    "snr_db_radar_equation",
]


# ---------------------------------------------------------------- argument checks (user-facing)
def _check_pfa(pfa: float) -> float:
    if not 0.0 < pfa < 1.0:
        raise ValueError(f"pfa must lie strictly between 0 and 1, got {pfa!r}")
    return float(pfa)


def _check_n_pulses(n_pulses: int) -> int:
    if isinstance(n_pulses, bool) or int(n_pulses) != n_pulses or n_pulses < 1:
        raise ValueError(f"n_pulses must be an integer >= 1, got {n_pulses!r}")
    return int(n_pulses)


def _check_swerling(swerling: int) -> int:
    if isinstance(swerling, bool) or swerling not in SWERLING_CASES:
        raise ValueError(f"swerling must be one of 0, 1, 2, 3, 4, 5 (5 is the same as 0), got {swerling!r}")
    return 0 if swerling == 5 else int(swerling)


def _check_pd(pd: float, pfa: float) -> float:
    if not pfa < pd < 1.0:
        raise ValueError(f"pd must satisfy pfa < pd < 1 (pfa = {pfa!r}), got {pd!r}: "
                         "a detector never detects less often than it false-alarms")
    return float(pd)


# ---------------------------------------------------------------- exact detection probability
@lru_cache(maxsize=256)
def detection_threshold(pfa: float, n_pulses: int = 1) -> float:
    """Threshold T on ``z = Σ|x_i|²`` (unit noise power per pulse) giving false-alarm probability ``pfa``.

    Under noise alone z ~ Gamma(n, 1), so Pfa = Q(n, T) (regularised upper incomplete gamma) and
    T = Q⁻¹(n, Pfa). Richards, *Fundamentals of Radar Signal Processing* (FRSP), ch. 6 (non-coherent
    integration, square-law detector); for n = 1, T = -ln Pfa.
    """
    return float(special.gammainccinv(_check_n_pulses(n_pulses), _check_pfa(pfa)))


def _tilted_lower_gamma(a: int, inv_scale: NDArray, threshold: float) -> NDArray:
    """H = e^(-T u) (1-u)^-a P(a, x), x = T(1-u), u = ``inv_scale`` in (0, 1]; equals e^-T T^a/a! ₁F₁(1; a+1; x).

    Kummer's series P(a, x) = x^a e^-x/Γ(a+1) · ₁F₁(1; a+1; x) (Abramowitz & Stegun 6.5.29, 13.1.2)
    links the two forms: the ₁F₁ form is bounded for x < a (low SNR, where P underflows), the P form is
    safe for x >= a (high SNR, where ₁F₁ overflows; log1p keeps a·ln(1-u) accurate for large a).
    """
    x = threshold * (1.0 - inv_scale)
    result = np.empty_like(x)
    low = x < a
    result[low] = math.exp(-threshold + a * math.log(threshold) - math.lgamma(a + 1)) * special.hyp1f1(1, a + 1, x[low])
    u, xh = inv_scale[~low], x[~low]
    result[~low] = np.exp(-threshold * u - a * np.log1p(-u) + np.log(special.gammainc(a, xh)))
    return result


def _pd_swerling0(snr: NDArray, threshold: float, n: int) -> NDArray:
    # Marcum (1960): 2z is non-central chi-square, 2n dof, non-centrality 2nS, so
    # Pd = Q_n(sqrt(2nS), sqrt(2T)) (generalised Marcum Q) = ncx2.sf(2T; 2n, 2nS). Richards FRSP ch. 6.
    return stats.ncx2.sf(2.0 * threshold, 2 * n, 2.0 * n * snr)


def _pd_swerling1(snr: NDArray, threshold: float, n: int) -> NDArray:
    # Scan-to-scan exponential RCS: z = Gamma(n-1, 1) + Exp(mean 1 + nS) (from its moment-generating
    # function), so Pd = Q(n-1, T) + e^(-T/(1+nS)) (1 + 1/(nS))^(n-1) P(n-1, T nS/(1+nS)):
    # Swerling (1960); Mahafza, *Radar Systems Analysis and Design Using MATLAB*, ch. "Radar Detection",
    # Swerling I. n = 1 reduces to Pd = Pfa^(1/(1+S)).
    if n == 1:
        return np.exp(-threshold / (1.0 + snr))
    return special.gammaincc(n - 1, threshold) + _tilted_lower_gamma(n - 1, 1.0 / (1.0 + n * snr), threshold)


def _pd_swerling2(snr: NDArray, threshold: float, n: int) -> NDArray:
    # Pulse-to-pulse exponential RCS: each |x_i|² is exponential with mean 1 + S, so z ~ Gamma(n, 1+S)
    # and Pd = Q(n, T/(1+S)) exactly. Swerling (1960); Mahafza, ch. "Radar Detection", Swerling II.
    return special.gammaincc(n, threshold / (1.0 + snr))


def _pd_swerling3(snr: NDArray, threshold: float, n: int) -> NDArray:
    # Scan-to-scan chi-square-4 RCS: z = Gamma(n-2, 1) + Gamma(2, g), g = 1 + nS/2 (from the MGF
    # (1-t)^(2-n) (1-gt)^-2). n = 1: Pd = e^(-T/g)(1 + 2ST/(2+S)²) (Mahafza, Swerling III); n = 2: Q(2, T/g);
    # n >= 3: convolution in closed form, derivation in docs/models/detection.md.
    g = 1.0 + 0.5 * n * snr
    if n == 1:
        return np.exp(-threshold / g) * (1.0 + 2.0 * snr * threshold / (2.0 + snr) ** 2)
    if n == 2:
        return special.gammaincc(2, threshold / g)
    a = n - 2
    return (special.gammaincc(a, threshold) + (1.0 + threshold / g) * _tilted_lower_gamma(a, 1.0 / g, threshold)
            - (a / g) * _tilted_lower_gamma(a + 1, 1.0 / g, threshold))


def _pd_swerling4(snr: NDArray, threshold: float, n: int) -> NDArray:
    # Pulse-to-pulse chi-square-4 RCS: MGF of z is (1-t)^n (1-bt)^-2n with b = 1 + S/2; writing
    # 1 - t = p(1 - bt) + (1 - p), p = 1/b, makes z an exact binomial mixture of Gamma(2n-k, b):
    # Pd = Σ_k C(n,k) p^k (1-p)^(n-k) Q(2n-k, T/b). Positive weights, finite sum. Swerling (1960).
    b = (1.0 + 0.5 * snr)[..., np.newaxis]
    k = np.arange(n + 1)
    weights = stats.binom.pmf(k, n, 1.0 / b)
    return np.sum(weights * special.gammaincc(2 * n - k, threshold / b), axis=-1)


_PD_BY_SWERLING = {0: _pd_swerling0, 1: _pd_swerling1, 2: _pd_swerling2, 3: _pd_swerling3, 4: _pd_swerling4}


def detection_probability(snr_db: ArrayLike, pfa: float, n_pulses: int = 1, swerling: int = 0) -> NDArray:
    """Exact probability of detection for mean single-pulse SNR ``snr_db`` (any array shape).

    Square-law detector, ``n_pulses`` pulses integrated non-coherently, threshold from
    :func:`detection_threshold`. Swerling 0/5: Marcum's generalised Q function (Marcum 1960;
    Richards FRSP ch. 6). Swerling 1–4: Swerling, "Probability of detection for fluctuating targets",
    IRE Trans. IT-6, 1960, in the closed forms of Mahafza (ch. "Radar Detection") for 1, 2 and single-pulse 3;
    multi-pulse 3 and 4 in exact closed forms derived from the moment-generating function
    (docs/models/detection.md). Returns an array of ``snr_db``'s shape (a NumPy scalar for a scalar).
    ``snr_db = -inf`` (no target) gives ``pfa``.
    """
    case = _check_swerling(swerling)
    threshold = detection_threshold(float(pfa), _check_n_pulses(n_pulses))
    snr = np.power(10.0, np.asarray(snr_db, dtype=float) / 10.0)
    pd = _PD_BY_SWERLING[case](np.atleast_1d(snr), threshold, int(n_pulses))
    return np.clip(pd, 0.0, 1.0).reshape(snr.shape)[()]


def required_snr_db(pd: ArrayLike, pfa: float, n_pulses: int = 1, swerling: int = 0) -> NDArray:
    """Mean single-pulse SNR (dB) at which :func:`detection_probability` equals ``pd``; to 1e-6 dB.

    Brent's root finder on the exact Pd (monotone in SNR), bracket widened in 10 dB steps. This is the
    exact "detectability factor" D(Pd, Pfa, n) of Richards FRSP ch. 6 (cf. Skolnik, *Introduction to
    Radar Systems* 3rd ed., ch. 2, integration and fluctuation losses). ``pd`` may be an array (solved element by element).
    """
    pfa = _check_pfa(pfa)
    n_pulses, swerling = _check_n_pulses(n_pulses), _check_swerling(swerling)
    pd_arr = np.asarray(pd, dtype=float)

    def solve(target_pd: float) -> float:
        target_pd = _check_pd(target_pd, pfa)

        def excess(snr_db: float) -> float:
            return float(detection_probability(snr_db, pfa, n_pulses, swerling)) - target_pd

        low_db, high_db = -10.0, 30.0
        while excess(low_db) > 0.0 and low_db > -300.0:
            low_db -= 10.0
        while excess(high_db) < 0.0 and high_db < 300.0:
            high_db += 10.0
        if excess(low_db) > 0.0 or excess(high_db) < 0.0:
            raise ValueError(f"pd = {target_pd!r} is not reachable for pfa = {pfa!r} within ±300 dB SNR")
        return optimize.brentq(excess, low_db, high_db, xtol=1e-6, rtol=1e-12)

    return np.array([solve(p) for p in pd_arr.ravel()]).reshape(pd_arr.shape)[()]


# ---------------------------------------------------------------- closed-form approximations
def shnidman_snr_db(pd: float, pfa: float, n_pulses: int = 1, swerling: int = 0) -> float:
    """Required single-pulse SNR (dB) by Shnidman's equation, square-law detector.

    D. A. Shnidman, "Determination of required SNR values", IEEE Trans. AES 38(3), 2002; also
    Richards FRSP (2005) ch. 6, p. 337 (the reference of MATLAB's ``shnidman``). Quoted as within
    0.5 dB for 0.1 <= Pd <= 0.99, 1e-9 <= Pfa <= 1e-3, 1 <= n <= 100; against the exact values we find
    up to 0.67 dB at the corners (docs/models/detection.md). The fluctuation term is defined for
    0.1 <= Pd <= 0.99 only, so fluctuating cases outside that raise ValueError.
    """
    pfa, n = _check_pfa(pfa), _check_n_pulses(n_pulses)
    case, pd = _check_swerling(swerling), _check_pd(pd, pfa)
    alpha = 0.0 if n < 40 else 0.25
    eta = (math.sqrt(-0.8 * math.log(4.0 * pfa * (1.0 - pfa)))
           + math.copysign(1.0, pd - 0.5) * math.sqrt(-0.8 * math.log(4.0 * pd * (1.0 - pd))))
    x_inf = eta * (eta + 2.0 * math.sqrt(n / 2.0 + (alpha - 0.25)))  # non-fluctuating SNR, all n pulses
    c_db = 0.0
    if case != 0:
        if not 0.1 <= pd <= 0.99:
            raise ValueError(f"Shnidman's equation covers 0.1 <= pd <= 0.99 for fluctuating targets, got {pd!r}")
        k = {1: 1.0, 2: float(n), 3: 2.0, 4: 2.0 * n}[case]  # degrees of freedom of the RCS over the look
        c_db = (((17.7006 * pd - 18.4496) * pd + 14.5339) * pd - 3.525) / k
        if pd > 0.872:
            c_db += (math.exp(27.31 * pd - 25.14) + (pd - 0.8) * (0.7 * math.log(1e-5 / pfa) + (2 * n - 20) / 80.0)) / k
    return 10.0 * math.log10(10.0 ** (c_db / 10.0) * x_inf / n)


def albersheim_snr_db(pd: float, pfa: float, n_pulses: int = 1) -> float:
    """Required single-pulse SNR (dB), non-fluctuating target, by Albersheim's equation.

    W. J. Albersheim, "A closed-form approximation to Robertson's detection characteristics",
    Proc. IEEE 69(7), 1981; Richards FRSP (2005) ch. 6, p. 329; Skolnik, *Introduction to Radar
    Systems* 3rd ed., p. 49. Fitted to Robertson's *linear*-detector curves; quoted within 0.2 dB for
    0.1 <= Pd <= 0.9, 1e-7 <= Pfa <= 1e-3, 1 <= n <= 8096. Against the exact square-law values it is
    within 0.3 dB for Pd >= 0.5 but up to 0.9 dB (Pfa 1e-6) and 4 dB (Pfa 1e-3) optimistic at Pd 0.1.
    """
    pfa, n = _check_pfa(pfa), _check_n_pulses(n_pulses)
    pd = _check_pd(pd, pfa)
    a = math.log(0.62 / pfa)
    b = math.log(pd / (1.0 - pd))
    fit = a + 0.12 * a * b + 1.7 * b
    if fit <= 0.0:
        raise ValueError(f"Albersheim's equation has no solution for pd = {pd!r}, pfa = {pfa!r} (far outside its range)")
    return -5.0 * math.log10(n) + (6.2 + 4.54 / math.sqrt(n + 0.44)) * math.log10(fit)


# ---------------------------------------------------------------- SNR from the radar range equation
def snr_db_radar_equation(range_m: ArrayLike, rcs_m2: ArrayLike, *, peak_power_w: float, gain_tx_db: float,
                          gain_rx_db: float, wavelength_m: float, noise_figure_db: float, losses_db: float,
                          pulse_width_s: float | None = None, noise_bandwidth_hz: float | None = None,
                          n_pulses_coherent: int = 1, temperature_k: float = STANDARD_TEMPERATURE_K) -> NDArray:
    """Single-pulse SNR (dB) of a point target by the radar range equation; broadcasts range and RCS.

    SNR = Pt Gt Gr λ² σ · E / ((4π)³ R⁴ k T0 F L), with E = τ·n_c (matched filter, pulse energy Pt τ,
    so pulse compression needs no extra term) or E = n_c / B for a noise bandwidth B. Skolnik,
    *Introduction to Radar Systems* 3rd ed., ch. 2 (the radar equation); Richards FRSP ch. 2
    ("simple point target radar range equation"). Give exactly one of ``pulse_width_s`` and
    ``noise_bandwidth_hz``. ``rcs_m2 = 0`` gives -inf dB.
    """
    if (pulse_width_s is None) == (noise_bandwidth_hz is None):
        raise ValueError("give exactly one of pulse_width_s and noise_bandwidth_hz")
    integration_s = pulse_width_s if pulse_width_s is not None else 1.0 / noise_bandwidth_hz
    for name, value in [("peak_power_w", peak_power_w), ("wavelength_m", wavelength_m), ("temperature_k", temperature_k),
                        ("pulse_width_s or 1/noise_bandwidth_hz", integration_s)]:
        if not value > 0.0:
            raise ValueError(f"{name} must be positive, got {value!r}")
    n_coherent = _check_n_pulses(n_pulses_coherent)
    range_m, rcs_m2 = np.asarray(range_m, dtype=float), np.asarray(rcs_m2, dtype=float)
    if np.any(range_m <= 0.0) or np.any(rcs_m2 < 0.0):
        raise ValueError("range_m must be positive and rcs_m2 non-negative")
    # Work in dB: the linear product spans ~1e-40..1e30 and would lose nothing, but dB reads like the budget.
    constant_db = 10.0 * math.log10(peak_power_w * wavelength_m**2 * integration_s * n_coherent
                                    / ((4.0 * math.pi) ** 3 * BOLTZMANN_J_PER_K * temperature_k))
    with np.errstate(divide="ignore"):
        rcs_db = 10.0 * np.log10(rcs_m2)
    return (constant_db + gain_tx_db + gain_rx_db - noise_figure_db - losses_db + rcs_db - 40.0 * np.log10(range_m))[()]


def snr_db_from_reference(range_m: ArrayLike, rcs_m2: ArrayLike, *, ref_range_m: float, ref_rcs_m2: float,
                          ref_snr_db: float) -> NDArray:
    """SNR (dB) scaled from a reference point: SNR = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴.

    The radar range equation with every radar constant folded into one measured point (Skolnik,
    *Introduction to Radar Systems* 3rd ed., ch. 2). Broadcasts range and RCS.
    """
    if not (ref_range_m > 0.0 and ref_rcs_m2 > 0.0):
        raise ValueError("ref_range_m and ref_rcs_m2 must be positive")
    range_m, rcs_m2 = np.asarray(range_m, dtype=float), np.asarray(rcs_m2, dtype=float)
    if np.any(range_m <= 0.0) or np.any(rcs_m2 < 0.0):
        raise ValueError("range_m must be positive and rcs_m2 non-negative")
    with np.errstate(divide="ignore"):
        rcs_ratio_db = 10.0 * np.log10(rcs_m2 / ref_rcs_m2)
    return (ref_snr_db + rcs_ratio_db - 40.0 * np.log10(range_m / ref_range_m))[()]


def reference_snr_db(ref_pd: float, pfa: float, n_pulses: int = 1, swerling: int = 0) -> float:
    """SNR (dB) at a reference point where the radar detects with ``ref_pd`` ("1 m² at 45 km, Pd 0.9").

    This is :func:`required_snr_db` under a scenario-facing name; feed it to :func:`snr_db_from_reference`.
    """
    return float(required_snr_db(ref_pd, pfa, n_pulses, swerling))


# ---------------------------------------------------------------- draws and Monte Carlo physics
def draw_detections(rng: np.random.Generator, pd: ArrayLike) -> NDArray[np.bool_]:
    """Detected or not, one Bernoulli(pd) draw per element of ``pd`` (same shape).

    Exact for a radar that looks at each target once per scan when the target fluctuation is
    independent from look to look: Swerling 1/3 decorrelate scan to scan and 2/4 pulse to pulse
    (hence also between scans), and receiver noise is independent between looks. Each look is then an
    independent trial whose success probability is the fluctuation-averaged Pd of
    :func:`detection_probability`, so a Bernoulli draw reproduces the joint law of the detection
    sequence. It would not be exact for RCS correlated across scans (slow fluctuation, aspect-driven
    glints) or for several looks inside one decorrelation time.
    """
    pd = np.asarray(pd, dtype=float)
    return rng.random(pd.shape) < pd


def simulate_pd(snr_db: ArrayLike, pfa: float, n_pulses: int, swerling: int, trials: int,
                rng: np.random.Generator) -> NDArray:
    """Monte Carlo estimate of Pd from the signal-level physics, for validating the closed forms.

    Each trial draws n pulses of unit-power complex Gaussian noise plus a target echo whose power is
    S·X, X = chi-square(2 dof)/2 for Swerling 1/2 or chi-square(4 dof)/4 for 3/4 (mean 1), held over the
    look for 1/3 and redrawn per pulse for 2/4 (Swerling 1960); square-law detects, sums the n pulses
    and compares with the exact threshold Q⁻¹(n, Pfa). The echo phase is set to zero: the noise is
    circularly symmetric, so the phase does not change |echo + noise|². Returns the detected fraction,
    one per element of ``snr_db``.
    """
    case, n = _check_swerling(swerling), _check_n_pulses(n_pulses)
    threshold = detection_threshold(_check_pfa(pfa), n)
    snr_db = np.asarray(snr_db, dtype=float)
    chunk = max(1, 2_000_000 // n)  # bounds memory at ~2e6 samples per array
    fraction = np.empty(snr_db.size)
    for index, mean_snr in enumerate(np.power(10.0, snr_db.ravel() / 10.0)):
        detections = 0
        for start in range(0, trials, chunk):
            m = min(chunk, trials - start)
            if case == 0:
                rcs_factor = np.ones((m, 1))
            else:
                dof = 2 if case in (1, 2) else 4
                rcs_factor = rng.chisquare(dof, size=(m, 1) if case in (1, 3) else (m, n)) / dof
            amplitude = np.sqrt(mean_snr * rcs_factor)
            in_phase = amplitude + rng.standard_normal((m, n)) * math.sqrt(0.5)
            quadrature = rng.standard_normal((m, n)) * math.sqrt(0.5)
            z = np.sum(in_phase**2 + quadrature**2, axis=1)
            detections += int(np.count_nonzero(z > threshold))
        fraction[index] = detections / trials
    return fraction.reshape(snr_db.shape)[()]
