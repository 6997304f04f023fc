"""Benchmark data: `learnhub bench generate` builds a province-sized organisation in bulk."""
