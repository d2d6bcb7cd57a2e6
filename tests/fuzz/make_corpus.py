#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ (see docs/fuzzing.md).

Sources: the transcripts of tests/data, the real STS replies of tests/vectors/captured, the
c14n and XML-DSig vectors of tests/vectors/c14n, and the HTTP messages written below. Run
it after tests/data or the input layout of an entry (tests/fuzz/entries/entries.hpp)
changes; it replaces the corpus directories completely (`make_corpus.py TARGET...` only
those targets'). Inputs that libFuzzer finds are
not committed (only crash regressions are, in tests/fuzz/regressions/).
"""
import hashlib
import pathlib
import shutil
import sys

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


# --- capi_properties: recipes read by tests/fuzz/entries/capi_entry.cpp, byte for byte -------

def u32(v):
    return (v & 0xFFFFFFFF).to_bytes(4, "big")


def small(v):
    """small_int(): -1..6 in one byte, anything else as 0xF0 + 32 bits."""
    return bytes([v + 1]) if -1 <= v <= 6 else b"\xf0" + u32(v)


def size(kind="right", claim=0):
    """A valueSize selector: the right size, 0, one too many, or `claim`."""
    return {"right": b"\x00", "zero": b"\x05", "plus1": b"\x06"}.get(kind) or b"\x07" + u32(claim)


def lenbytes(data, cap):
    assert len(data) < cap
    return bytes([len(data)]) + data


REAL_FUZZED, REAL_ELEMENT, NULL, DECOY, OTHER_TYPE, SAME_TYPE = 0x01, 0x83, 0x00, 0x02, 0x03, 0x04


def capi_setup(xml=b"", fragment=False, key=None, token_props=b"", token_prop_count=0):
    out = bytes([(1 if fragment else 0) | (2 if key is not None else 0)]) + lenbytes(xml, 256)
    if key is not None:
        out += lenbytes(key, 80)
    return out + bytes([token_prop_count]) + token_props


def token_time(pid, ticks, fmt=0):
    return small(pid) + b"\x01" + u32(ticks >> 32) + u32(ticks) + small(fmt) + size()


def token_ref(pid, pick):
    return small(pid) + bytes([pick]) + size()


def rq(pid, body, kind=2):
    """One request property: id, value kind (2 = typed), typed body (ends with its size)."""
    return bytes([pid, kind]) + body


def rq_enum(pid, v, sz="right"):
    return rq(pid, small(v) + size(sz))


def rq_url(url, flags=0):
    return rq(1, lenbytes(url, 64) + bytes([flags]) + size())


def rq_token_type(uri, null=False):
    return rq(4, lenbytes(uri, 96) + bytes([1 if null else 0]) + size())


def rq_key_size(bits):
    sel = {0: 0, 7: 1, 8: 2, 128: 3, 256: 4, 512: 5, 4096: 6, 4104: 7}
    return rq(8, (bytes([sel[bits]]) if bits in sel else b"\xf0" + u32(bits)) + size())


def rq_handle(pid, pick):
    return rq(pid, bytes([pick]) + size())


def rq_reader_limits(limits):
    """MESSAGE_PROPERTIES holding one XML_READER_PROPERTIES with (reader id, value) pairs."""
    readers = b"".join(small(rid) + b"\x00" + bytes([v]) + b"\x00" + size() for rid, v in limits)
    message = b"\x01" + bytes([len(limits)]) + readers + b"\x01\x01" + size()
    return rq(12, b"\x01" + message + b"\x01" + size())


def requests(*props):
    return bytes([len(props)]) + b"".join(props)


def getter(flags=0, claim=0):
    return bytes([flags | 0x80, *u32(claim)]) if flags & 0x80 or claim >= 40 else bytes([flags, claim])


def token_getters(*calls):
    """(property id, token pick, heap pick 0 none / 1 real / 2 decoy, getter bytes)."""
    return bytes([len(calls)]) + b"".join(small(pid - 1) + bytes([pick, heap]) + g for pid, pick, heap, g in calls)


def channel(props=(), calls=()):
    """props: (id, 32-bit value); calls: (id, handle pick, getter bytes)."""
    out = bytes([len(props)]) + b"".join(bytes([pid, 1]) + u32(v) + b"\x01" + size() for pid, v in props)
    return out + bytes([len(calls)]) + b"".join(bytes([pid, pick]) + g for pid, pick, g in calls)


SAML20 = b"http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0"
SCT13 = b"http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/sct"
PARAMS = b'<x:P xmlns:x="urn:x">v</x:P><x:Q xmlns:x="urn:x"/>'


def capi_properties_seeds():
    none = token_getters() + channel()
    key32 = bytes(range(32))
    return {
        "empty": b"",
        "facade-exchange": capi_setup() + requests(
            rq_enum(2, 2), rq_url(b"https://rp.example/soak"), rq_token_type(SAML20), rq_enum(7, 2),
            rq_key_size(256), rq_enum(9, 3)) + none,
        "bearer-13": capi_setup() + requests(
            rq_enum(2, 2), rq_enum(7, 1), rq_enum(9, 2), rq_enum(13, 3), rq_url(b"urn:rp")) + none,
        "new-context-sct": capi_setup() + requests(
            rq_enum(5, 2), rq_enum(3, 2), rq_enum(2, 2), rq_token_type(SCT13), rq_enum(9, 1),
            rq_key_size(128)) + none,
        "renew-with-xml-token": capi_setup(key=key32) + requests(
            rq_enum(5, 3), rq_handle(6, REAL_FUZZED)) + none,
        "parameters": capi_setup(PARAMS, fragment=True) + requests(
            rq_enum(2, 2), rq_handle(10, REAL_FUZZED), rq_handle(11, REAL_ELEMENT)) + none,
        "reader-limits": capi_setup() + requests(rq_reader_limits([(0, 16), (2, 64), (14, 8)])) + none,
        "wrong-sizes": capi_setup() + requests(
            rq_enum(2, 2, "zero"), rq_enum(7, 2, "plus1"), rq(8, b"\x04" + size("big", 0xFFFFFFFF))) + none,
        "null-values": capi_setup() + requests(rq(1, size(), 0), rq(12, size(), 0)) + none,
        "duplicate": capi_setup() + requests(rq_enum(2, 2), rq_enum(2, 1)) + none,
        "unknown-ids": capi_setup() + requests(rq_enum(0, 1), b"\xf0" + u32(0x7FFFFFFF) + b"\x02" + small(1) + size()) + none,
        "raw-bytes": capi_setup() + requests(rq(2, lenbytes(b"\x02\x00\x00\x00", 40), 1)) + none,
        "wrong-handles": capi_setup(b"<a/>") + requests(
            rq_handle(6, DECOY), rq_handle(10, OTHER_TYPE), rq_handle(11, SAME_TYPE)) + none,
        "applies-to-odd": capi_setup() + requests(rq_url(b"http://x/\xf3\xf9", flags=0)) + none,
        "applies-to-null-chars": capi_setup() + requests(rq_url(b"http://x/", flags=1)) + none,
        "applies-to-headers": capi_setup() + requests(rq_url(b"http://x/", flags=2 | 8)) + none,
        "token-type-null-bytes": capi_setup() + requests(rq_token_type(b"urn:x", null=True)) + none,
        "key-size-huge": capi_setup() + requests(rq_enum(7, 2), rq_key_size(0x10000000)) + none,
        "token-getters": capi_setup(key=key32, token_prop_count=4, token_props=(
            token_ref(1, REAL_ELEMENT) + token_ref(2, REAL_ELEMENT) + token_time(3, 630000000000000000) +
            token_time(4, 640000000000000000))) + requests() + token_getters(
            (1, 1, 0, getter(2, 4)), (2, 1, 0, getter(2, 16)), (3, 1, 0, getter(2, 16)),
            (4, 1, 1, getter(2, 8)), (5, 1, 1, getter(2, 8)), (7, 1, 1, getter(2, 16))) + channel(),
        "token-getters-bad": capi_setup() + requests() + token_getters(
            (1, 0, 0, getter(2, 4)), (1, 2, 0, getter(2, 4)), (4, 1, 2, getter(2, 8)), (7, 1, 1, getter(2, 16)),
            (1, 1, 0, getter(2 | 0x80, 0xFFFFFFFF)), (0, 1, 0, getter(3, 4))) + channel(),
        "channel": capi_setup() + requests() + token_getters() + channel(
            [(2, 1), (3, 1), (0, 131072), (9, 1), (19, 5000), (20, 2000)],
            [(12, 1, getter(2, 4)), (0, 1, getter(2, 4)), (19, 1, getter(2, 4)), (9, 1, getter(2, 4)),
             (12, 0, getter(2, 4)), (30, 1, getter(2, 4))]),
        "channel-bad": capi_setup() + requests() + token_getters() + channel(
            [(0, 10), (12, 3), (39, 0)], [(12, 1, getter(2, 3)), (12, 3, getter(2, 4))]),
    }


def write(target, seeds):
    out = FUZZ / "corpus" / target
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name, data in seeds.items():
        (out / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds, {sum(len(d) for d in seeds.values())} bytes")


TARGETS = {
    "rstr": rstr_seeds,
    "xml": xml_seeds,
    "http_response": http_response_seeds,
    "http_request": http_request_seeds,
    "capi_properties": capi_properties_seeds,
}

if __name__ == "__main__":
    # make_corpus.py [TARGET...]: the named targets only (default: all).
    for target in sys.argv[1:] or TARGETS:
        write(target, TARGETS[target]())
