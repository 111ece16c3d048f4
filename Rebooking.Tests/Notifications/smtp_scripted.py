"""A real aiosmtpd relay on loopback whose answers the tests script.

usage: smtp_scripted.py PORT DIRECTORY [--fail STAGE:REPLY] [--fail-count N] [--tls plain|starttls|implicit]
                        [--cert PEM --key PEM] [--hold SECONDS]

Each accepted message is written to DIRECTORY/mail/N.eml. DIRECTORY/events.log gets one line per event:
"connect", "quit", "lost", "mail", and "peak N" (the most connections open at once so far).
--fail answers the first N commands of STAGE (RCPT or DATA) with REPLY, e.g. "451 4.3.0 try later".
--hold keeps each DATA for a while, so concurrent sends overlap.
"""
import argparse
import asyncio
import os
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("directory")
parser.add_argument("--fail", default=None)
parser.add_argument("--fail-count", type=int, default=1)
parser.add_argument("--tls", default="plain", choices=["plain", "starttls", "implicit"])
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--hold", type=float, default=0)
args = parser.parse_args()

mail_dir = os.path.join(args.directory, "mail")
os.makedirs(mail_dir, exist_ok=True)
events_path = os.path.join(args.directory, "events.log")
lock = threading.Lock()
state = {"open": 0, "peak": 0, "failed": 0, "mails": 0}


def event(line):
    with lock:
        with open(events_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()


def scripted_failure(stage):
    if args.fail is None:
        return None
    fail_stage, reply = args.fail.split(":", 1)
    if fail_stage.upper() != stage or state["failed"] >= args.fail_count:
        return None
    state["failed"] += 1
    return reply


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = scripted_failure("RCPT")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if args.hold:
            await asyncio.sleep(args.hold)
        reply = scripted_failure("DATA")
        if reply:
            return reply
        state["mails"] += 1
        path = os.path.join(mail_dir, "%04d.eml" % state["mails"])
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.replace(path + ".tmp", path)
        event("mail")
        return "250 2.0.0 queued"


class CountingSMTP(SMTP):
    def connection_made(self, transport):
        state["open"] += 1
        state["peak"] = max(state["peak"], state["open"])
        event("connect")
        event("peak %d" % state["peak"])
        super().connection_made(transport)

    def connection_lost(self, exc):
        state["open"] -= 1
        event("lost")
        super().connection_lost(exc)

    async def smtp_QUIT(self, arg):
        event("quit")
        await super().smtp_QUIT(arg)


def context():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


class ScriptedController(Controller):
    def factory(self):
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


kwargs = {}
if args.tls == "starttls":
    kwargs = {"tls_context": context(), "require_starttls": True}
elif args.tls == "implicit":
    kwargs = {"ssl_context": context()}
controller = ScriptedController(Handler(), hostname="127.0.0.1", port=args.port, decode_data=False, **kwargs)
# The readiness probe connects once; it is not one of the channel's connections.
controller.start()
for _ in range(200):
    if state["open"] == 0:
        break
    threading.Event().wait(0.01)
state["peak"] = 0
with open(events_path, "w", encoding="utf-8"):
    pass
print("ready", flush=True)
threading.Event().wait()
