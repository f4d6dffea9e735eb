"""A real HTTP server on 127.0.0.1, in a thread, serving what a test tells it to at each path:
the calendar providers' answers the import must cope with (a calendar with an ETag, 304, 500,
a slow answer, a huge one, a redirect). Tests turn on CALENDAR_IMPORT_ALLOW_PRIVATE to reach it."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """What the server sends for one path: a status, headers and a body, optionally slowly
    (`delay` seconds before answering) or as an endless stream of `stream_chunk`s."""

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    stream_chunk: bytes = b""
    # 304 when the request's If-None-Match is this ETag.
    etag: str = ""


class CalendarServer:
    def __init__(self):
        self.answers: dict[str, Answer] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                answer = server.answers.get(self.path, Answer(status=404))
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.etag and self.headers.get("If-None-Match") == answer.etag:
                    self.send_response(304)
                    self.send_header("ETag", answer.etag)
                    self.end_headers()
                    return
                self.send_response(answer.status)
                headers = {"Content-Type": "text/calendar; charset=utf-8", **answer.headers}
                if answer.etag:
                    headers["ETag"] = answer.etag
                if not answer.stream_chunk:
                    headers["Content-Length"] = str(len(answer.body))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    if answer.stream_chunk:
                        # No Content-Length: the cap must hold while reading.
                        for _ in range(10_000):
                            self.wfile.write(answer.stream_chunk)
                    else:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, answer: Answer) -> str:
        self.answers[path] = answer
        return self.url(path)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
