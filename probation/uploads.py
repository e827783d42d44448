"""Uploads stop at the size limit: a file past settings.DOCUMENT_MAX_BYTES is skipped as it is read (nothing more
of it is kept in memory or on disk), and the request is marked, so the form can say why (`upload_too_large`)."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes each chunk on to the next, until the file grows past the limit."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise SkipFile("The file is larger than the limit")
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler makes the file
