"""Operational tooling — benchmarks, national-scale seeding, fault drills, load test — never imported by the product.

A Django app only so that its management commands (`bench`, `loadtest`, `seed_demo`) are found; nothing in
probation, regions, cases or interventions imports it. The demo organisation that `make run` loads stays in the
product (`probation.demo`, `manage.py load_demo`).
"""
