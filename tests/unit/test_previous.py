"""Reading the previous snapshot (svportal.previous): a folder, a file or a web address; never an exception."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

from svportal.previous import Previous, read

SNAPSHOT = '{"schema": "svportal-snapshot", "note": "caf\u00e9"}'


def test_no_source_is_no_previous_snapshot():
    assert read(None) is None
    assert read("") is None
    assert read("   ") is None


def test_a_built_site_folder_gives_its_data_snapshot(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "snapshot.json").write_text(SNAPSHOT, encoding="utf-8")
    assert read(str(tmp_path)) == Previous(str(tmp_path), text=SNAPSHOT)


def test_a_snapshot_file_is_read_as_utf8_with_or_without_a_bom(tmp_path):
    path = tmp_path / "previous.json"
    path.write_bytes(b"\xef\xbb\xbf" + SNAPSHOT.encode("utf-8"))
    assert read(str(path)) == Previous(str(path), text=SNAPSHOT)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p / "absent.json", "there is no such file or folder"),
        (lambda p: p, "the folder has no data/snapshot.json (not a site built by the portal?)"),
        (
            lambda p: (p / "latin1.json").write_bytes(b'{"caf\xe9": 1}') and p / "latin1.json",
            "it is not UTF-8 text (byte 6)",
        ),
    ],
)
def test_what_cannot_be_read_is_a_reason(tmp_path, make, why):
    source = str(make(tmp_path))
    assert read(source) == Previous(source, why=why)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/data/snapshot.json":
            body = SNAPSHOT.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404, "Not Found")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_web_address_is_fetched(server):
    url = f"{server}/data/snapshot.json"
    assert read(url) == Previous(url, text=SNAPSHOT)


def test_a_web_address_that_answers_404_is_a_reason(server):
    url = f"{server}/missing.json"
    assert read(url) == Previous(url, why="the server answered 404 Not Found")


def test_a_server_that_does_not_answer_is_a_reason():
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    url = f"http://127.0.0.1:{port}/data/snapshot.json"
    found = read(url, timeout=5)
    assert found.text is None
    assert found.why.startswith("it could not be fetched (") and "refused" in found.why.lower()


def test_a_server_that_is_too_slow_is_a_reason():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/data/snapshot.json"
        found = read(url, timeout=0.5)
    finally:
        listener.close()
    assert found == Previous(url, why="the server did not answer within 0.5 seconds")
