"""Pages of the desk_review app: the legal desk review (``legal``) and the literature library (``library``)."""
