"""Routes of the NAP's documents (W-DOCS): the downloads page and the three files."""

from django.urls import path

from ctip.web.nap.views import documents

urlpatterns = [
    path("<uuid:plan>/documents/", documents.documents_page, name="nap-documents"),
    path("<uuid:plan>/documents/plan.docx", documents.documents_docx, name="nap-documents-docx"),
    path("<uuid:plan>/documents/deck.pptx", documents.documents_pptx, name="nap-documents-pptx"),
    path("<uuid:plan>/documents/budget.xlsx", documents.documents_xlsx, name="nap-documents-xlsx"),
]
