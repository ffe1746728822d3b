"""Pages of the NAP's budget, checks panel and coverage view, mounted under /w/<workspace>/nap/ (see
ctip.web.config.urls)."""

from django.urls import path

from ctip.web.nap.views import budget

urlpatterns = [
    path("<uuid:plan>/budget/", budget.budget_page, name="nap-budget"),
    path("<uuid:plan>/checks/", budget.checks_page, name="nap-checks"),
    path("<uuid:plan>/coverage/", budget.coverage_page, name="nap-coverage"),
]
