"""Small files of each kind, made in memory: what attachments take and what they refuse."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 16
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16
TEXT = "Referat fra mødet: Æblegrød og øl på Ærø.\n".encode()
EXE = b"MZ\x90\x00" + b"\x00" * 60
HTML = b"<script>alert(1)</script>\x00"
MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"


def ooxml(part: str = "wordprocessingml.document") -> bytes:
    """A minimal Office Open XML package whose main part is of the given kind."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{MAIN.format(part)}"/></Types>',
        )
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("virus.exe", EXE)
    return buffer.getvalue()


def ole(stream: str = "WordDocument") -> bytes:
    """An OLE compound file's header with a directory entry naming `stream`."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + stream.encode("utf-16-le")
        + b"\x00" * 64
    )
