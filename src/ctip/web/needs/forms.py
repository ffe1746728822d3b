"""The dashboard's filters: which instrument, and which respondents (organisation, sex, location). The
choices are the values found in the instrument's answers, so a filter can never name a group that does not
exist; the results for too small a group are withheld by ``data.require_enough_respondents``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ctip.core.needs.model import ATTRIBUTE_LOCATION, ATTRIBUTE_ORGANISATION, ATTRIBUTE_SEX
from ctip.core.tna.model import Sex
from ctip.web.needs.charts import sex_label
from ctip.web.tna.models import SurveyInstrument

FILTERS = (ATTRIBUTE_ORGANISATION, ATTRIBUTE_SEX, ATTRIBUTE_LOCATION)
"""The respondent attributes the dashboard filters on, in the order of the form."""
SEX_ORDER = [sex.value for sex in Sex]


class NeedsFilterForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Survey"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)

    def __init__(
        self,
        *args: Any,
        instruments: Sequence[SurveyInstrument],
        values: Mapping[str, Sequence[str]],
        **kwargs: Any,
    ) -> None:
        """``values``: for each filter, the values found in the answers (``""`` stands for "not stated")."""
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(str(row.uuid), row.title) for row in instruments]
        if len(instruments) < 2:
            self.fields["instrument"].widget = forms.HiddenInput()  # nothing to choose
        everyone = {
            ATTRIBUTE_ORGANISATION: gettext("All organisations"),
            ATTRIBUTE_SEX: gettext("Everyone"),
            ATTRIBUTE_LOCATION: gettext("All locations"),
        }
        for name in FILTERS:
            found = [value for value in values.get(name, ()) if value]
            labels = [(value, sex_label(value) if name == ATTRIBUTE_SEX else value) for value in found]
            if name == ATTRIBUTE_SEX:
                labels.sort(key=lambda choice: SEX_ORDER.index(choice[0]) if choice[0] in SEX_ORDER else 99)
            else:
                labels.sort(key=lambda choice: choice[1].casefold())
            self.fields[name].choices = [("", everyone[name]), *labels]

    def filters(self) -> dict[str, set[str]]:
        """Attribute → the one accepted value, for each filter set (call after ``is_valid``)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: {cleaned[name]} for name in FILTERS if cleaned.get(name)}
