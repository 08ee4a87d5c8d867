"""Raid: aircraft routes, weapon release and weapon flight profiles (truth kinematics)."""
