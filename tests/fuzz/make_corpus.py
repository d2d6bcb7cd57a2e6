#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ (see docs/fuzzing.md).

Sources: the transcripts of tests/data, the real STS replies of tests/vectors/captured, the
c14n and XML-DSig vectors of tests/vectors/c14n, and the HTTP messages written below. Run
it after tests/data or the input layout of an entry (tests/fuzz/entries/entries.hpp)
changes; it replaces the corpus directories completely. Inputs that libFuzzer finds are
not committed (only crash regressions are, in tests/fuzz/regressions/).
"""
import hashlib
import pathlib
import shutil

FUZZ = pathlib.Path(__file__).resolve().parent
TESTS = FUZZ.parent
DATA = TESTS / "data"
VECTORS = TESTS / "vectors"

# The id the fixed environment gives the RST's wsa:MessageID (tests/data/README.md).
MESSAGE_ID = "urn:uuid:00000000-0000-4000-8000-000000000001"

# (action, key_type, entropy, key_size) -> index into `profiles` of entries/rstr_entry.cpp.
# key_type None = absent; key_size None = not asked. Transcript combinations without an exact
# profile map to the one whose reply checks they pass (a KeySize the STS sends equal to the
# default, for instance).
PROFILES = {
    ("issue", "bearer", "server_only", None): 0,
    ("issue", None, "server_only", None): 1,
    ("issue", "symmetric", "server_only", None): 2,
    ("issue", "symmetric", "server_only", "256"): 2,
    ("issue", "symmetric", "server_only", "128"): 3,
    ("issue", "symmetric", "client_only", None): 4,
    ("issue", "symmetric", "client_only", "256"): 4,
    ("issue", "symmetric", "client_only", "192"): 5,
    ("issue", "symmetric", "combined", None): 6,
    ("issue", "symmetric", "combined", "256"): 6,
    ("issue", "symmetric", "combined", "512"): 7,
    ("issue", None, "client_only", None): 8,
    ("issue", None, "combined", "256"): 9,
    ("new_context", "symmetric", "client_only", "128"): 10,
    ("new_context", None, "combined", None): 11,
    ("new_context", "symmetric", "combined", "256"): 11,
    ("new_context", "symmetric", "server_only", "256"): 12,
    ("renew_context", "symmetric", "client_only", "256"): 13,
    ("renew_context", None, "combined", None): 14,
    ("renew_context", "symmetric", "combined", "256"): 14,
    ("renew_context", "symmetric", "server_only", None): 15,
}


def shape_byte(trust13, soap11, wsa2004, sc13, profile):
    return bytes([(profile << 4) | trust13 | soap11 << 1 | wsa2004 << 2 | sc13 << 3])


def transcript_shape(desc):
    kv = {}
    for line in desc.read_text().splitlines():
        if line and not line.startswith("#"):
            k, v = line.split("=", 1)
            kv[k] = v
    key = kv.get("key_type")
    key = {"bearer": "bearer", "symmetric": "symmetric", None: None}[key]
    profile = PROFILES[(kv.get("action", "issue"), key, kv.get("entropy", "server_only"),
                        kv.get("key_size"))]
    return shape_byte(kv.get("trust") == "1.3", kv.get("soap") == "soap11",
                      kv.get("addressing") == "wsa2004", kv.get("secure_conversation") == "1.3",
                      profile)


def rstr_seeds():
    seeds = {}
    for case in sorted(p for p in DATA.iterdir() if (p / "description.txt").exists()):
        seeds[case.name] = transcript_shape(case / "description.txt") + (case / "response.xml").read_bytes()
    captured = VECTORS / "captured"
    # name -> shape (trust 1.3, SOAP 1.1, WS-A 2004, WS-SC 1.3, profile), as captures_test.cpp
    # describes the request each answers. RelatesTo is rewritten to the fixed message id.
    replies = {
        "adfs-wst13-soap12-saml11-bearer-SIGVALID.xml": (1, 0, 0, 0, 0),
        "adfs-wst13-soap12-saml11-bearer-prettyprinted.xml": (1, 0, 0, 0, 0),
        "adfs-wst2005-soap12-saml11-prettyprinted.xml": (0, 0, 0, 0, 0),
        "synthetic-wst13-saml11-refmismatch.xml": (1, 0, 0, 0, 1),
        "adfs-soap12-fault-requestfailed.xml": (1, 0, 0, 0, 0),
        "corewcf-sct-rstr2005-computedkey-psha1.xml": (0, 0, 0, 0, 11),
        "corewcf-sct-cancel-rstr2005.xml": (0, 0, 0, 0, 11),
        "wcf-sct-echo-hmacsha1-SIGVALID.xml": (0, 0, 0, 0, 0),
    }
    for name, shape in replies.items():
        text = (captured / name).read_bytes()
        start = text.find(b"<a:RelatesTo>")
        if start >= 0:
            start += len(b"<a:RelatesTo>")
            end = text.index(b"</a:RelatesTo>", start)
            text = text[:start] + MESSAGE_ID.encode() + text[end:]
        seeds["captured-" + name] = shape_byte(*shape) + text
    return seeds


def xml_seeds():
    seeds = {}
    files = sorted(DATA.glob("*/*.xml")) + sorted(DATA.glob("*.xml"))
    files += sorted((VECTORS / "captured").glob("*.xml"))
    files += sorted((VECTORS / "c14n").rglob("*.xml"))
    seen = set()
    for f in files:
        body = f.read_bytes()
        digest = hashlib.sha1(body).digest()
        if digest in seen:
            continue
        seen.add(digest)
        seeds[str(f.relative_to(TESTS)).replace("/", "--")] = body
    return seeds


def http_input(message, cuts=(), eof=False, small=False):
    """Flags byte, big-endian cut offsets, message (layout of entries.hpp)."""
    flags = len(cuts) | (8 if eof else 0) | (16 if small else 0)
    return bytes([flags]) + b"".join(c.to_bytes(2, "big") for c in cuts) + message


def crlf(text):
    return text.replace("\n", "\r\n").encode()


def soap_reply():
    return (DATA / "t13-issue-bearer-errata-soap12-wsa10" / "response.xml").read_bytes()


def http_response_seeds():
    body = soap_reply()
    ctype = "Content-Type: application/soap+xml; charset=utf-8\n"
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 700]), body[i:i + 700])
                       for i in range(0, len(body), 700))
    fault = b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>' \
            b'<s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">no' \
            b'</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>'
    return {
        "content-length": http_input(
            crlf("HTTP/1.1 200 OK\n" + ctype + "Content-Length: %d\n\n" % len(body)) + body, (17, 300)),
        "chunked-trailers": http_input(
            crlf("HTTP/1.1 200 OK\n" + ctype + "Transfer-Encoding: chunked\n\n") + chunked +
            crlf("0\nX-Trailer: done\n\n"), (40, 41, 900)),
        "chunk-extensions": http_input(
            crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5;name=value\nhello\n"
                 "6;quoted=\"a;b\"\n world\n0\n\n"), (3,)),
        "close-delimited": http_input(
            crlf("HTTP/1.1 200 OK\n" + ctype + "Connection: close\n\n") + body, (60,), eof=True),
        "http10-close": http_input(
            crlf("HTTP/1.0 200 OK\nContent-Type: text/xml\n\n<a/>"), eof=True),
        "continue-then-200": http_input(
            crlf("HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nContent-Length: 4\n\n<a/>"), (20, 21)),
        "500-soap-fault": http_input(
            crlf("HTTP/1.1 500 Internal Server Error\nContent-Type: application/soap+xml\n"
                 "Content-Length: %d\n\n" % len(fault)) + fault),
        "401-negotiate-ntlm": http_input(
            crlf("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Negotiate\nWWW-Authenticate: NTLM\n"
                 "WWW-Authenticate: Basic realm=\"sts\"\nContent-Length: 0\n\n")),
        "302-redirect": http_input(
            crlf("HTTP/1.1 302 Found\nLocation: https://sts.contoso.test/adfs/ls/\n"
                 "Content-Length: 0\n\n")),
        "pipelined-keep-alive": http_input(
            crlf("HTTP/1.1 200 OK\nContent-Length: 2\n\nokHTTP/1.1 503 Service Unavailable\n"
                 "Retry-After: 5\nContent-Length: 0\n\n"), (30,)),
        "small-limits-too-large": http_input(
            crlf("HTTP/1.1 200 OK\nContent-Length: 600\n\n") + b"x" * 600, (5,), small=True),
        "spaced-headers": http_input(
            crlf("HTTP/1.1 200  OK \nX-A:   spaced   \nX-B:\tx\nContent-Length: 1\n\n!"), (1, 2, 3)),
    }


def http_request_seeds():
    body = (DATA / "t13-issue-bearer-errata-soap12-wsa10" / "request.xml").read_bytes()
    head = ("POST /adfs/services/trust/13/usernamemixed HTTP/1.1\nHost: sts.contoso.test\n"
            "Content-Type: application/soap+xml; charset=utf-8\n")
    return {
        "post-content-length": http_input(crlf(head + "Content-Length: %d\n\n" % len(body)) + body, (10, 200)),
        "post-chunked": http_input(
            crlf(head + "Transfer-Encoding: chunked\n\n") + b"%x\r\n" % len(body) + body +
            crlf("\n0\n\n"), (120,)),
        "get": http_input(crlf("GET /adfs/ls/?wa=wsignin1.0 HTTP/1.1\nHost: x\n\n")),
        "http10-keep-alive": http_input(
            crlf("POST /sts HTTP/1.0\nConnection: keep-alive\nContent-Length: 3\n\nabc")),
        "pipelined": http_input(
            crlf("POST /a HTTP/1.1\nHost: x\nContent-Length: 1\n\n1POST /b HTTP/1.1\nHost: x\n"
                 "Content-Length: 1\n\n2"), (12, 40)),
        "connect": http_input(crlf("CONNECT sts.contoso.test:443 HTTP/1.1\nHost: x\n\n")),
        "upgrade": http_input(
            crlf("GET /ws HTTP/1.1\nHost: x\nConnection: Upgrade\nUpgrade: websocket\n\n")),
    }


def write(target, seeds):
    out = FUZZ / "corpus" / target
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, data in seeds.items():
        (out / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds, {sum(len(d) for d in seeds.values())} bytes")


if __name__ == "__main__":
    write("rstr", rstr_seeds())
    write("xml", xml_seeds())
    write("http_response", http_response_seeds())
    write("http_request", http_request_seeds())
