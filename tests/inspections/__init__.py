"""Tests for inspection and supervision, the evaluation of units and the propagandists roster."""
