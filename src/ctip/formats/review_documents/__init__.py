"""The comment matrix of a review round and the differences between two versions, as Word and Excel files.

The web layer gathers what a Technical Committee reads (issue 9) into two frozen dataclasses, with every
label, comment and decision already in the reader's language (:mod:`.model`):

* :class:`CommentMatrix` — one :class:`MatrixRow` per comment: the element it is about, the comment, the
  reviewer and their organisation, the date, the response, the decision with its reason and the change
  that resolved it (with a link into the comparison page);
* :class:`DiffDocument` — one :class:`DiffLine` per change found by :func:`ctip.core.review.diff.diff`,
  with the element's kind, the field and the values before and after as texts for people
  (:func:`display_value` turns a snapshot's JSON value into such a text).

:func:`comment_matrix_docx` and :func:`diff_docx` (:mod:`.word`) write Word reports through
:func:`~ctip.formats.documents.docx_writer.write_docx`, on landscape pages because the tables are wide;
:func:`comment_matrix_xlsx` and :func:`diff_xlsx` (:mod:`.workbook`) write workbooks in the house style of
:mod:`ctip.formats.nap_workbook`. The comment matrix workbook keeps a drop-down list on its Decision column
and counts decisions with live formulas, so that a consultant can go on filling it in Excel.
"""

from ctip.formats.review_documents.model import (
    EMPTY,
    LANGUAGES,
    CommentMatrix,
    DiffDocument,
    DiffLine,
    MatrixRow,
    display_value,
)
from ctip.formats.review_documents.word import comment_matrix_docx, diff_docx
from ctip.formats.review_documents.workbook import comment_matrix_xlsx, diff_xlsx

__all__ = [
    "EMPTY",
    "LANGUAGES",
    "CommentMatrix",
    "DiffDocument",
    "DiffLine",
    "MatrixRow",
    "comment_matrix_docx",
    "comment_matrix_xlsx",
    "diff_docx",
    "diff_xlsx",
    "display_value",
]
