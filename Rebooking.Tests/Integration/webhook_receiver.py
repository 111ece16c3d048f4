"""A webhook receiver for the tests: verifies every delivery with the Standard Webhooks algorithm, on its own.

Usage: python3 webhook_receiver.py PORT SECRET_FILE LOG_FILE

- The secret (whsec_<base64>) is read from SECRET_FILE at each request, so the test can write it once the
  webhook exists.
- Each request is appended to LOG_FILE as one JSON line: {"id", "timestamp", "valid", "body", "path"}.
- GET /_control?status=500&delay=0.0&location=/elsewhere changes how later requests are answered:
  status code, seconds to wait before answering, and a Location header (for redirects); with
  &exceptRef=B1&exceptStatus=500 the changes of booking B1 are answered with that status instead.
- Requests whose signature does not verify are answered 401 (and logged with "valid": false).
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, secret_file, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
mode = {"status": 204, "delay": 0.0, "location": None, "except_ref": None, "except_status": None}
lock = threading.Lock()


def verify(msg_id, timestamp, body, signatures):
    """Standard Webhooks: HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the decoded secret."""
    try:
        with open(secret_file) as f:
            secret = f.read().strip()
    except OSError:
        return False
    if not secret.startswith("whsec_"):
        return False
    key = base64.b64decode(secret[len("whsec_"):])
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header may carry several space-separated "v1,<sig>" entries; one match is enough.
    for entry in signatures.split(" "):
        version, _, sig = entry.partition(",")
        if version == "v1" and hmac.compare_digest(sig, expected):
            return True
    return False


def booking_ref(body):
    """The bookingRef of a delivered change, or None for a body that is not one."""
    try:
        return json.loads(body).get("bookingRef")
    except (ValueError, AttributeError):
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/_control":
            query = urllib.parse.parse_qs(url.query)
            with lock:
                mode["status"] = int(query.get("status", ["204"])[0])
                mode["delay"] = float(query.get("delay", ["0"])[0])
                mode["location"] = query.get("location", [None])[0]
                mode["except_ref"] = query.get("exceptRef", [None])[0]
                mode["except_status"] = int(query.get("exceptStatus", ["0"])[0])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        msg_id = self.headers.get("webhook-id", "")
        timestamp = self.headers.get("webhook-timestamp", "")
        valid = verify(msg_id, timestamp, body, self.headers.get("webhook-signature", ""))
        with lock:
            status, delay, location = mode["status"], mode["delay"], mode["location"]
            if mode["except_ref"] is not None and booking_ref(body) == mode["except_ref"]:
                status = mode["except_status"]
        if delay:
            time.sleep(delay)
        if not valid:
            status = 401
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            reply = b'{"ok":true}' if status < 300 else b"no"
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass
        # Logged once answered: a delivery counts for the test only if the sender could have seen the answer.
        with lock, open(log_file, "a") as f:
            f.write(json.dumps({"id": msg_id, "timestamp": timestamp, "valid": valid, "status": status,
                                "path": self.path, "body": body.decode()}) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
print("listening", flush=True)
server.serve_forever()
