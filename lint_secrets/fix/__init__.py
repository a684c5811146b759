"""Fixing: plans built from findings (`plan`), LibCST rewrites (`rewrite`), writing (`apply`)."""
