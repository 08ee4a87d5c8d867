"""Interceptor: 3-DOF dynamics, guidance laws, fuze and lethality, linear homing loop."""
