"""The scenario file format: pydantic models with units in the field names.

A scenario file (YAML or JSON) describes a defended area and a raid. These models check each value on its
own (types, ranges, unknown fields); `references.py` checks what ties them together (ids, targets, radars).
Angles are degrees here, at the file boundary; `compile.py` turns them into radians and the local frame.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Probability = Annotated[float, Field(gt=0, lt=1)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class Strict(BaseModel):
    """Base for every block: unknown fields are errors, so a typo never silently falls back to a default."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Position(Strict):
    """A point on the WGS84 ellipsoid."""

    lat_deg: float = Field(ge=-90, le=90, description="Geodetic latitude, degrees north.")
    lon_deg: float = Field(ge=-180, le=180, description="Longitude, degrees east.")
    alt_m: float = Field(0.0, ge=-500, le=100_000, description="Height above mean sea level, metres.")


class Sim(Strict):
    """How time advances and where randomness starts."""

    duration_s: Positive = Field(1800.0, le=86_400, description="Simulated time span from t = 0, seconds.")
    cycle_s: Positive = Field(0.5, le=60, description="Engine cycle (radar look / fire-control step), seconds.")
    flyout_step_s: Positive = Field(
        0.01, le=1, description="Finest integration step of interceptor flyouts, seconds: the endgame's step."
    )
    flyout_midcourse_step_s: Positive = Field(
        0.1, le=1, description="Integration step while an interceptor is in midcourse (before seeker acquisition; "
        "fuze not armed), seconds. Homing steps are a twentieth of the time to go, between flyout_step_s and the "
        "smallest of this step, half the guidance time constant and one seeker sample. At or below flyout_step_s, "
        "every step is flyout_step_s."
    )
    seed: int = Field(0, ge=0, description="Seed of the run's numpy SeedSequence.")
    earth_k_factor: Positive = Field(
        4 / 3, le=10, description="Effective-earth-radius factor for line of sight (4/3: standard refraction)."
    )
    start_time_utc: str = Field(
        "2000-01-01T00:00:00Z", description="Wall-clock time of t = 0 (ISO 8601), used by exports."
    )


class Asset(Strict):
    """A defended asset: what the raid aims at and what the defence protects."""

    id: Id = Field(description="Unique asset id, referenced by weapon releases.")
    name: str = Field("", description="Display name.")
    position: Position = Field(description="Where the asset is (its aim point).")
    value: Positive = Field(1.0, description="Relative value used by threat evaluation.")
    radius_m: Positive = Field(50.0, description="An impact within this distance counts as hitting the asset.")


class ReferenceDetection(Strict):
    """Radar sensitivity given as a reference detection: 'sees a σ m² target at R km with Pd p'."""

    range_m: Positive = Field(description="Range at which the reference target is detected with `pd`.")
    rcs_m2: Positive = Field(1.0, description="Radar cross-section of the reference target.")
    pd: Probability = Field(0.5, description="Single-look detection probability at `range_m`.")


class RadarEquation(Strict):
    """Radar sensitivity given by the parameters of the radar range equation (Skolnik, Radar Handbook, eq. 1.1)."""

    peak_power_w: Positive = Field(description="Peak transmitted power.")
    gain_db: float = Field(ge=-10, le=70, description="Antenna gain (transmit = receive), dBi.")
    wavelength_m: Positive = Field(le=10, description="Carrier wavelength (c / frequency).")
    pulse_width_s: Positive = Field(le=1, description="Pulse width; noise bandwidth is taken as 1/pulse width.")
    noise_figure_db: NonNegative = Field(3.0, le=30, description="Receiver noise figure.")
    losses_db: NonNegative = Field(6.0, le=60, description="Total system losses, dB.")
    n_pulses: int = Field(1, ge=1, le=10_000, description="Pulses integrated coherently per look.")


class Radar(Strict):
    """A rotating search or fire-control radar."""

    id: Id = Field(description="Unique radar id, referenced by fire units.")
    position: Position = Field(description="Site of the radar (ground level).")
    antenna_height_m: NonNegative = Field(5.0, le=1000, description="Antenna height above the site.")
    reference: ReferenceDetection | None = Field(None, description="Sensitivity as a reference detection.")
    equation: RadarEquation | None = Field(None, description="Sensitivity from the radar range equation.")
    pfa: Probability = Field(1e-6, description="Probability of false alarm per resolution cell.")
    swerling: Literal[0, 1, 2, 3, 4] = Field(1, description="Swerling case of target fluctuation (0: steady).")
    n_pulses: int = Field(1, ge=1, le=1000, description="Pulses integrated non-coherently per look.")
    scan_period_s: Positive = Field(le=120, description="Time of one antenna revolution.")
    sigma_range_m: Positive = Field(le=10_000, description="1σ range measurement noise.")
    sigma_azimuth_deg: Positive = Field(le=10, description="1σ azimuth measurement noise.")
    sigma_elevation_deg: Positive = Field(le=10, description="1σ elevation measurement noise.")
    min_elevation_deg: float = Field(-2.0, ge=-10, lt=90, description="Lowest elevation of the coverage.")
    max_elevation_deg: float = Field(70.0, gt=-10, le=90, description="Highest elevation of the coverage.")
    min_range_m: NonNegative = Field(0.0, description="Blind range (no detection closer).")
    max_range_m: Positive = Field(le=2_000_000, description="Instrumented range (no detection farther).")
    false_alarms_per_scan: NonNegative = Field(0.0, le=1000, description="Mean number (Poisson) per scan.")

    @model_validator(mode="after")
    def _one_sensitivity_and_sane_coverage(self) -> Radar:
        if (self.reference is None) == (self.equation is None):
            raise ValueError("give exactly one of 'reference' (detection range) or 'equation' (radar parameters)")
        if self.min_range_m >= self.max_range_m:
            raise ValueError(f"min_range_m ({self.min_range_m:g}) must be below max_range_m ({self.max_range_m:g})")
        if self.min_elevation_deg >= self.max_elevation_deg:
            raise ValueError("min_elevation_deg must be below max_elevation_deg")
        return self


class MotorPhase(Strict):
    """One burn of a solid rocket motor; thrust is constant over the burn and mass falls linearly."""

    thrust_n: NonNegative = Field(description="Thrust, constant over the burn.")
    burn_time_s: NonNegative = Field(le=600, description="Duration of the burn.")
    propellant_kg: NonNegative = Field(description="Propellant burnt, at a constant mass flow.")


class DragTable(Strict):
    """Zero-lift drag coefficient against Mach number, interpolated linearly and held at the ends."""

    mach: list[NonNegative] = Field(min_length=2, max_length=64, description="Mach numbers, strictly increasing.")
    cd: list[Positive] = Field(min_length=2, max_length=64, description="Drag coefficient at each Mach number (on reference_area_m2).")

    @model_validator(mode="after")
    def _aligned_and_increasing(self) -> DragTable:
        if len(self.mach) != len(self.cd):
            raise ValueError(f"'mach' has {len(self.mach)} values but 'cd' has {len(self.cd)}")
        if any(b <= a for a, b in zip(self.mach, self.mach[1:])):
            raise ValueError("'mach' must be strictly increasing")
        return self


class Envelope(Strict):
    """Where the fire unit may place an intercept: the published engagement zone."""

    min_range_m: NonNegative = Field(description="Nearest intercept point, ground range from the fire unit.")
    max_range_m: Positive = Field(description="Farthest intercept point, ground range from the fire unit.")
    min_altitude_m: float = Field(ge=-500, description="Lowest intercept height above ground.")
    max_altitude_m: Positive = Field(description="Highest intercept height above ground.")
    max_target_speed_mps: Positive = Field(description="Fastest target the unit may engage.")

    @model_validator(mode="after")
    def _ordered(self) -> Envelope:
        if self.min_range_m >= self.max_range_m:
            raise ValueError("min_range_m must be below max_range_m")
        if self.min_altitude_m >= self.max_altitude_m:
            raise ValueError("min_altitude_m must be below max_altitude_m")
        return self


class Guidance(Strict):
    """Midcourse toward the predicted intercept point, then proportional-navigation homing."""

    law: Literal["pure_pn", "true_pn", "augmented_pn"] = Field("true_pn", description="Homing guidance law.")
    nav_constant: float = Field(4.0, gt=0, le=10, description="Effective navigation ratio N'.")
    time_constant_s: NonNegative = Field(0.2, le=5, description="First-order guidance-system lag.")
    semi_active: bool = Field(True, description="Homing needs a fire channel illuminating the target.")
    seeker_noise_deg: NonNegative = Field(0.0, le=5, description="1σ seeker angle noise.")
    seeker_acquisition_range_m: Positive = Field(
        20_000.0, description="Range to target where midcourse hands over to terminal homing."
    )
    launch_heading_error_deg: float = Field(
        0.0, ge=-90, le=90, description="Deliberate launch error against the intercept point (textbook cases)."
    )


class Lethality(Strict):
    """Kill probability of one interceptor as a function of its miss distance."""

    model: Literal["cookie_cutter", "gaussian"] = Field("gaussian", description="Shape of P_kill(miss).")
    lethal_radius_m: Positive = Field(le=1000, description="Radius of the damage function.")
    pk_max: float = Field(1.0, gt=0, le=1, description="Kill probability at zero miss distance.")


class InterceptorType(Strict):
    """A surface-to-air missile: motor, aerodynamics, limits, guidance and warhead."""

    id: Id = Field(description="Unique interceptor type id, referenced by fire units.")
    launch_mass_kg: Positive = Field(description="Mass at launch, propellant included.")
    boost: MotorPhase = Field(description="First motor phase.")
    sustain: MotorPhase = Field(MotorPhase(thrust_n=0, burn_time_s=0, propellant_kg=0), description="Second motor phase (none by default).")
    reference_area_m2: Positive = Field(le=10, description="Reference area of the drag coefficients.")
    drag: DragTable = Field(description="Drag coefficient against Mach.")
    max_g: Positive = Field(le=100, description="Structural / autopilot limit on lateral acceleration.")
    max_lift_coefficient: Positive = Field(
        10.0, le=100, description="Caps lateral acceleration by dynamic pressure: a ≤ q·S·CL_max/m."
    )
    max_time_of_flight_s: Positive = Field(le=1000, description="Self-destruct / guidance limit on flight time.")
    min_speed_mps: NonNegative = Field(200.0, description="Below this speed the missile is lost.")
    envelope: Envelope = Field(description="Published engagement zone.")
    guidance: Guidance = Field(Guidance(), description="Guidance law and parameters.")
    lethality: Lethality = Field(description="Warhead and fuze as a damage function.")

    @model_validator(mode="after")
    def _propellant_fits(self) -> InterceptorType:
        if self.boost.propellant_kg + self.sustain.propellant_kg >= self.launch_mass_kg:
            raise ValueError("boost + sustain propellant must be less than launch_mass_kg")
        return self


class Launcher(Strict):
    """A launcher (TELAR, TEL) and the missiles ready on it at t = 0."""

    id: Id = Field(description="Launcher id, unique within its fire unit.")
    ready_missiles: int = Field(ge=0, le=64, description="Missiles ready to fire at t = 0.")


class Doctrine(Strict):
    """How many interceptors an engagement uses and whether to wait for kill assessment."""

    mode: Literal["shoot_look_shoot", "salvo"] = Field("shoot_look_shoot", description="Engagement doctrine.")
    salvo_size: int = Field(1, ge=1, le=8, description="Interceptors per engagement in 'salvo' mode.")
    max_engagements_per_threat: int = Field(2, ge=1, le=16, description="Shoot-look-shoot: attempts per threat.")


class KillAssessment(Strict):
    """When and how reliably the battery learns the result of an intercept attempt."""

    delay_s: NonNegative = Field(2.0, le=120, description="Time after an intercept attempt until its result is known.")
    error_probability: float = Field(0.0, ge=0, lt=1, description="Chance the assessment is wrong.")


class FireUnit(Strict):
    """A battery: launchers with ready missiles, fire channels, the radars it uses and its doctrine."""

    id: Id = Field(description="Unique fire unit id.")
    position: Position = Field(description="Site of the fire unit (launch point of its missiles).")
    radars: list[Id] = Field(min_length=1, description="Ids of the radars feeding this unit.")
    interceptor_type: Id = Field(description="Id of the interceptor type it fires.")
    launchers: list[Launcher] = Field(min_length=1, description="Launchers and their ready missiles.")
    reload_time_s: Positive = Field(description="Time to reload one launcher from its transporter.")
    reloads: int = Field(0, ge=0, le=1000, description="Missiles available for reloading, for the whole unit.")
    fire_channels: int = Field(ge=1, le=64, description="Simultaneous engagements (illuminating channels).")
    reaction_time_s: NonNegative = Field(le=600, description="From confirmed track to first launch.")
    doctrine: Doctrine = Field(Doctrine(), description="Engagement doctrine.")
    kill_assessment: KillAssessment = Field(KillAssessment(), description="Kill assessment delay and errors.")


Profile = Literal["low_level_cruise", "high_glide", "ballistic", "terminal_dive", "pop_up", "constant_turn"]


class WeaponType(Strict):
    """A raid weapon and how it flies from release to its target."""

    id: Id = Field(description="Unique weapon type id, referenced by releases.")
    speed_mps: Positive = Field(le=5000, description="Constant flight speed.")
    rcs_m2: Positive = Field(description="Radar cross-section (mean, all aspects).")
    profile: Profile = Field(description="Flight profile (docs/models/raid.md).")
    cruise_altitude_m: Positive = Field(100.0, le=30_000, description="Cruise height of cruise profiles.")
    max_range_m: Positive = Field(description="Farthest release-to-target distance.")
    climb_descent_angle_deg: Positive = Field(
        10.0, le=60, description="Flight-path angle when changing height to or from cruise."
    )
    terminal_range_m: NonNegative = Field(
        3000.0, description="Ground range to target where the terminal phase (dive, pop-up) starts."
    )
    terminal_dive_angle_deg: Positive = Field(30.0, le=90, description="Dive angle of terminal_dive and pop_up.")
    pop_up_altitude_m: Positive = Field(1000.0, le=10_000, description="Top of the pop-up, above ground.")
    turn_g: NonNegative = Field(0.0, le=30, description="Lateral acceleration of the constant_turn profile, g.")
    cep_m: NonNegative = Field(0.0, description="Circular error probable of the impact point.")


class Release(Strict):
    """Weapons released by an aircraft at a time or on reaching a waypoint."""

    weapon_type: Id = Field(description="Id of the weapon type released.")
    target: Id = Field(description="Id of the asset the weapon is aimed at.")
    count: int = Field(1, ge=1, le=100, description="Weapons released together at this point.")
    interval_s: NonNegative = Field(2.0, le=600, description="Time between successive weapons of `count`.")
    time_s: NonNegative | None = Field(None, description="Release time (give this or `at_waypoint`).")
    at_waypoint: int | None = Field(None, ge=0, description="Release on reaching this route waypoint (0-based).")

    @model_validator(mode="after")
    def _one_trigger(self) -> Release:
        if (self.time_s is None) == (self.at_waypoint is None):
            raise ValueError("give exactly one of 'time_s' or 'at_waypoint'")
        return self


class Waypoint(Position):
    """A route point and the speed of the leg that starts there."""

    speed_mps: Positive = Field(le=1500, description="Speed on the leg that starts here.")


class Aircraft(Strict):
    """A raid aircraft: its route and the weapons it releases."""

    id: Id = Field(description="Unique aircraft id.")
    rcs_m2: Positive = Field(5.0, description="Radar cross-section (mean, all aspects).")
    start_time_s: NonNegative = Field(0.0, description="Time at the first waypoint.")
    route: list[Waypoint] = Field(min_length=2, description="At least two waypoints.")
    releases: list[Release] = Field(default_factory=list, description="Weapons it releases.")


class Prior(Strict):
    """A prior distribution of an uncertain parameter (scipy.stats parametrisations)."""

    distribution: Literal["uniform", "loguniform", "triangular", "beta", "normal"] = Field(
        description="uniform(low, high); loguniform(low, high); triangular(low, mode, high); beta(a, b) scaled to "
        "[low, high] (default [0, 1]); normal(mean, sd), truncated to [low, high] when given."
    )
    low: float | None = Field(None, description="Lower end of the support.")
    high: float | None = Field(None, description="Upper end of the support.")
    mode: float | None = Field(None, description="Most likely value (triangular).")
    a: Positive | None = Field(None, description="First shape parameter (beta).")
    b: Positive | None = Field(None, description="Second shape parameter (beta).")
    mean: float | None = Field(None, description="Mean before truncation (normal).")
    sd: Positive | None = Field(None, description="Standard deviation before truncation (normal).")

    @model_validator(mode="after")
    def _parameters_fit_the_distribution(self) -> Prior:
        needed = {"uniform": ("low", "high"), "loguniform": ("low", "high"), "triangular": ("low", "mode", "high"),
                  "beta": ("a", "b"), "normal": ("mean", "sd")}[self.distribution]
        allowed = set(needed) | {"low", "high"}
        given = {k for k in ("low", "high", "mode", "a", "b", "mean", "sd") if getattr(self, k) is not None}
        if missing := [k for k in needed if k not in given]:
            raise ValueError(f"a {self.distribution} prior needs {', '.join(needed)}; missing {', '.join(missing)}")
        if extra := sorted(given - allowed):
            raise ValueError(f"a {self.distribution} prior does not take {', '.join(extra)}")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low must be below high")
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform prior needs low > 0")
        if self.distribution == "triangular" and not self.low <= self.mode <= self.high:
            raise ValueError("mode must lie between low and high")
        return self


class UncertainParameter(Strict):
    """A scenario value not known exactly: claim checks draw it from its prior (docs/claims.md)."""

    path: str = Field(min_length=1, max_length=300, description="Field it sets, e.g. "
                      "'fire_units[buk-battery].reaction_time_s' (scenario/paths.py: [id], [0], [*] pick list items).")
    prior: Prior = Field(description="Its prior distribution, in the field's own units.")
    note: str = Field("", description="Why this prior: source or reasoning.")


class Scenario(Strict):
    """A defended area and a raid against it."""

    name: Id = Field(description="Short name of the scenario.")
    description: str = Field("", description="One-paragraph description: what, when, where, sources.")
    origin: Position = Field(description="Origin of the local frame (east, north, height).")
    sim: Sim = Field(Sim(), description="Time steps, duration and seed.")
    assets: list[Asset] = Field(min_length=1, description="Defended assets (the raid's targets).")
    radars: list[Radar] = Field(default_factory=list, description="Radars of the defence.")
    interceptor_types: list[InterceptorType] = Field(default_factory=list, description="Surface-to-air missile types.")
    fire_units: list[FireUnit] = Field(default_factory=list, description="Batteries of the defence.")
    weapon_types: list[WeaponType] = Field(min_length=1, description="Weapon types of the raid.")
    aircraft: list[Aircraft] = Field(min_length=1, description="Raid aircraft.")
    uncertain: list[UncertainParameter] = Field(
        default_factory=list, max_length=16, description="Parameters a claim check draws from priors (`iadsim claim`)."
    )
