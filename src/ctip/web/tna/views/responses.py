"""Survey responses: counts by organisation, sex and location, and the submissions themselves. Free-text
answers are shown only to members who may analyse data."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

from ctip.core.access import Permission
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.tna import selectors
from ctip.web.tna.forms import ResponseFilterForm
from ctip.web.tna.models import SEX_CHOICES
from ctip.web.tna.views.common import render_page

PAGE_SIZE = 50


@workspace_view(Permission.VIEW_WORKSPACE)
def response_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    instruments = list(selectors.instruments(workspace))
    form = ResponseFilterForm(request.GET or None, instruments=instruments)
    instrument = None
    if form.is_bound and form.is_valid() and form.cleaned_data["instrument"]:
        instrument = next((i for i in instruments if str(i.uuid) == form.cleaned_data["instrument"]), None)
    show_free_text = may(request.membership, Permission.ANALYSE_DATA)
    found = selectors.submissions(workspace, instrument=instrument).prefetch_related(None)
    if not show_free_text:
        found = found.defer("open_answers")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    sexes = dict(SEX_CHOICES)
    language = "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"
    labels = selectors.answer_labels(instruments, language=language)
    counts = selectors.response_counts(workspace, instrument=instrument)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "tna/responses.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "submission": submission,
                    "sex": sexes.get(submission.sex, submission.sex),
                    "location": labels.location(
                        submission.profile.get("location", "") if submission.profile else ""
                    ),
                    "open_answers": [
                        (labels.question(name), text)
                        for name, text in (submission.open_answers or {}).items()
                        if text
                    ]
                    if show_free_text
                    else [],
                }
                for submission in page.object_list
            ],
            "counts": counts,
            "by_sex": [(sexes.get(code, code), count) for code, count in counts.by_sex],
            "by_location": [(labels.location(name), count) for name, count in counts.by_location],
            "show_free_text": show_free_text,
            "query": query.urlencode(),
        },
    )
