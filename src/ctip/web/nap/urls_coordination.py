"""Routes of the National Action Plan app (filled in by its views)."""

urlpatterns: list = []
