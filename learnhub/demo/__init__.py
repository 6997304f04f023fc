"""The demo organisation modelled on the seed: a town party committee, its cells and 403 members."""
