"""Sensors: detection probability from SNR (Swerling cases) and the search radar."""

from iadsim.sensors.detection import (
    albersheim_snr_db,
    detection_probability,
    detection_threshold,
    draw_detections,
    reference_snr_db,
    required_snr_db,
    shnidman_snr_db,
    simulate_pd,
    snr_db_from_reference,
    snr_db_radar_equation,
)

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
