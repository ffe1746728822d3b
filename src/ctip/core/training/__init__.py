"""Trainings, without the database: events' vocabulary, the per-module delivery content and item bank,
agendas, the content of the delivery kit, the tests' scoring and the reaction and follow-up surveys."""
