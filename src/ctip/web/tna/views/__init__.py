"""Pages of the training needs assessment (see ``urls.py``)."""

from ctip.web.tna.views.competencies import (
    competencies_export,
    competencies_import,
    competency_create,
    competency_edit,
    competency_list,
)
from ctip.web.tna.views.form_links import form_link_open, form_links, form_links_xlsx
from ctip.web.tna.views.imports import (
    import_list,
    import_mapping,
    import_preview,
    import_rejected,
    import_result,
)
from ctip.web.tna.views.instruments import (
    instrument_create,
    instrument_detail,
    instrument_fgd_guide,
    instrument_interview_guide,
    instrument_list,
    instrument_questionnaire,
    instrument_xlsform,
)
from ctip.web.tna.views.responses import response_list

__all__ = [
    "competencies_export",
    "competencies_import",
    "competency_create",
    "competency_edit",
    "competency_list",
    "form_link_open",
    "form_links",
    "form_links_xlsx",
    "import_list",
    "import_mapping",
    "import_preview",
    "import_rejected",
    "import_result",
    "instrument_create",
    "instrument_detail",
    "instrument_fgd_guide",
    "instrument_interview_guide",
    "instrument_list",
    "instrument_questionnaire",
    "instrument_xlsform",
    "response_list",
]
