"""Tests of the planner solver."""
