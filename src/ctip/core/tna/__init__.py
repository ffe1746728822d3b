"""Training needs assessment: the competency framework, survey instruments and survey submissions."""
