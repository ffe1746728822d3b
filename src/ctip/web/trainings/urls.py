"""Routes of the trainings app (filled in by its views)."""

urlpatterns: list = []
