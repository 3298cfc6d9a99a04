from django.urls import path, register_converter

from dagsorden.publishing import attachments, views


class DocumentFileConverter:
    """``dagsorden.pdf``, ``referat-intern.docx``, ...: the file part of a download URL."""

    regex = r"(?:dagsorden|referat)(?:-intern)?\.(?:pdf|docx|txt)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentFileConverter, "document_file")

app_name = "publishing"
urlpatterns = [
    path("<slug:slug>/<str:key>/<document_file:name>", views.download, name="download"),
    path(
        "<slug:slug>/<str:key>/punkt-<int:number>/bilag-<int:order>/<str:name>",
        attachments.attachment,
        name="attachment",
    ),
]
