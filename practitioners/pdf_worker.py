"""Counts the pages of an evidence PDF, or renders one page to a PNG, with PDFium (pypdfium2).

Pure: no Django, no app code. practitioners.evidence_pages runs it as a separate process
(`python -P practitioners/pdf_worker.py ...`) with a timeout, a minimal environment and
memory limits, so a malformed or hostile PDF can neither hang a request nor take the web
process down with it. The PDFium build that pypdfium2 ships has no JavaScript engine:
nothing in the file is executed, here or in anyone's browser.

    pdf_worker.py count PDF           prints the number of pages
    pdf_worker.py render PDF N WIDTH OUT.png   writes page N (from 1) at WIDTH pixels

PDF is a path, or - for the PDF's bytes on standard input (the evidence files are encrypted
on disk: the app decrypts and pipes them in).

Exit status: 0 done, 2 the file is not a PDF PDFium can read (or has no page N), other values
for anything else (out of memory, a crash).
"""

import resource
import sys

# A page is drawn at most this many times as tall as it is wide (a long strip is cut short in
# scale, not in content), so a hostile page size cannot ask for a gigantic bitmap.
MAX_HEIGHT_RATIO = 3
# Address space and output size of the worker process: far above what a certificate needs.
MEMORY_LIMIT = 1024 * 1024 * 1024
OUTPUT_LIMIT = 64 * 1024 * 1024
UNREADABLE = 2


class Unreadable(Exception):
    """The file is not a PDF that PDFium can open, or it has no such page."""


def count_pages(path: str | bytes) -> int:
    """The number of pages of the PDF at `path` (or in these bytes; PDFium reads only its
    page tree)."""
    import pypdfium2 as pdfium

    try:
        with pdfium.PdfDocument(path) as document:
            return len(document)
    except pdfium.PdfiumError as error:
        raise Unreadable(str(error)) from error


def scale_for(page_size: tuple[float, float], width: int) -> float:
    """The scale that draws a page of `page_size` points `width` pixels wide, or less wide when
    the page is more than MAX_HEIGHT_RATIO times as tall as it is wide."""
    page_width, page_height = page_size
    if page_width <= 0 or page_height <= 0:
        raise Unreadable("The page has no size.")
    return min(width / page_width, width * MAX_HEIGHT_RATIO / page_height)


def render_page(path: str | bytes, number: int, width: int) -> bytes:
    """Page `number` (from 1) of the PDF at `path` (or in these bytes), as PNG bytes `width`
    pixels wide."""
    import io

    import pypdfium2 as pdfium

    try:
        with pdfium.PdfDocument(path) as document:
            if not 1 <= number <= len(document):
                raise Unreadable(f"There is no page {number}.")
            page = document[number - 1]
            # Form fields are drawn as they are filled in; no form environment is started.
            bitmap = page.render(scale=scale_for(page.get_size(), width), may_draw_forms=False)
            image = bitmap.to_pil()
    except pdfium.PdfiumError as error:
        raise Unreadable(str(error)) from error
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _limit_resources() -> None:
    """Caps for this process (the worker run as a script, never a caller that imports it)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _source(arg: str):
    """What PDFium opens for the PDF argument: the bytes on standard input for "-"."""
    return sys.stdin.buffer.read() if arg == "-" else arg


def main(argv: list[str]) -> int:
    try:
        if len(argv) == 2 and argv[0] == "count":
            print(count_pages(_source(argv[1])))
            return 0
        if len(argv) == 5 and argv[0] == "render":
            data = render_page(_source(argv[1]), int(argv[2]), int(argv[3]))
            with open(argv[4], "wb") as out:
                out.write(data)
            return 0
    except Unreadable as error:
        print(error, file=sys.stderr)
        return UNREADABLE
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    _limit_resources()
    sys.exit(main(sys.argv[1:]))
