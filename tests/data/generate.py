#!/usr/bin/env python3
"""Writes the transcript cases of tests/data/<case>/ (see README.md).

This is a second, independent implementation of the RST layout documented in
sdk/core/include/wst/core/rst_writer.hpp (Python string building, not the C++ code), of the
fixed test environment (counter message ids, counter random bytes), of P_SHA1 (hmac +
hashlib) and of xml::element::lift()'s rule (declarations inherited from ancestors are
inserted after the element name, sorted by prefix). tests/core/transcript_test.cpp checks
that the C++ core agrees byte for byte and field by field.

The WS-Security signatures of the message-security cases (HMAC-SHA1 over the Timestamp) are
computed on the finished envelope with lxml's exclusive c14n (libxml2), not with the core's
direct canonical forms, and xmlsec1 verifies them again in tests/core.

Run from anywhere: /usr/bin/python3 tests/data/generate.py (needs Debian's python3-lxml). It
rewrites every case directory it knows; the output is committed after review (see README.md).
"""
import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, '..', 'vectors')

SOAP = {'soap11': 'http://schemas.xmlsoap.org/soap/envelope/',
        'soap12': 'http://www.w3.org/2003/05/soap-envelope'}
WSA = {'wsa10': 'http://www.w3.org/2005/08/addressing',
       'wsa2004': 'http://schemas.xmlsoap.org/ws/2004/08/addressing'}
ANON = {'wsa10': 'http://www.w3.org/2005/08/addressing/anonymous',
        'wsa2004': 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous'}
TRUST = {'feb2005': 'http://schemas.xmlsoap.org/ws/2005/02/trust',
         '1.3': 'http://docs.oasis-open.org/ws-sx/ws-trust/200512'}
SC = {'feb2005': 'http://schemas.xmlsoap.org/ws/2005/02/sc',
      '1.3': 'http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512'}
WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'
WSSE11 = 'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd'
WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd'
WSP = 'http://schemas.xmlsoap.org/ws/2004/09/policy'
DS = 'http://www.w3.org/2000/09/xmldsig#'
SAML11 = 'urn:oasis:names:tc:SAML:1.0:assertion'
SAML20 = 'urn:oasis:names:tc:SAML:2.0:assertion'
PASSWORD_TEXT = ('http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-'
                 'profile-1.0#PasswordText')
NO_PROOF_KEY = 'http://schemas.xmlsoap.org/ws/2005/05/identity/NoProofKey'
BEARER = {'original_specification': 'http://docs.oasis-open.org/ws-sx/wstrust/200512/Bearer',
          'original_schema': 'http://docs.oasis-open.org/wssx/wstrust/200512/Bearer',
          'errata_01': 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer'}
SAML_ASSERTION_ID = ('http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0'
                     '#SAMLAssertionID')
SAML_ID = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID'
SAMLV11 = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1'
SAMLV20 = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0'
EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
HMAC_SHA1 = 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'
SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1'


def sct_type(sc):
    return SC[sc] + '/sct'


def p_sha1(secret, seed, n):
    out, a = b'', seed
    while len(out) < n:
        a = hmac.new(secret, a, hashlib.sha1).digest()
        out += hmac.new(secret, a + seed, hashlib.sha1).digest()
    return out[:n]


assert p_sha1(bytes(range(32)), bytes(range(32, 64)), 32).hex() == \
    'df59132c2af6d230e4337732076a14561694be12838cc00203d63c816653d75b'


def esc_text(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def esc_attr(s):
    return esc_text(s).replace('"', '&quot;')


def b64(b):
    return base64.b64encode(b).decode()


# ---- time ------------------------------------------------------------------------------

TIME_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?'
                     r'(Z|[+-]\d{2}:\d{2})$')


def normalize(text):
    """xsd:dateTime -> the core's datetime::to_string() form (UTC, <= 7 fraction digits)."""
    m = TIME_RE.match(text)
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = (m.group(7) or '')[:7].ljust(7, '0')
    t = dt.datetime(y, mo, d, h, mi, s)
    tz = m.group(8)
    if tz != 'Z':
        sign = 1 if tz[0] == '+' else -1
        t -= sign * dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    frac = frac.rstrip('0')
    return t.strftime('%Y-%m-%dT%H:%M:%S') + ('.' + frac if frac else '') + 'Z'


def millis(t):
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (t.microsecond // 1000)


# ---- the fixed environment ----------------------------------------------------------------

class FixedEnv:
    def __init__(self, now, first_byte):
        self.now = now
        self.next = first_byte
        self.ids = 0

    def message_id(self):
        self.ids += 1
        return 'urn:uuid:00000000-0000-4000-8000-%012d' % self.ids

    def random(self, n):
        out = bytes((self.next + i) % 256 for i in range(n))
        self.next = (self.next + n) % 256
        return out


# ---- the RST ----------------------------------------------------------------------------

def te(qname, text):
    return '<%s>%s</%s>' % (qname, esc_text(text), qname)


def build_rst(c, env):
    d = c['description']
    trust, wsa_v, soap_v = d['trust'], d['addressing'], d['soap']
    t = TRUST[trust]
    action_name = d.get('action', 'issue')
    rst_action = {'issue': t + '/RST/Issue', 'new_context': t + '/RST/SCT',
                  'renew_context': t + '/RST/SCT/Renew'}[action_name]
    sc = d.get('secure_conversation', 'feb2005')
    msg_id, ctx = env.message_id(), env.message_id()
    entropy = d.get('entropy', 'server_only')
    client_entropy = b''
    if entropy in ('client_only', 'combined'):
        client_entropy = env.random(int(d.get('key_size', 256)) // 8)

    x = '<s:Envelope xmlns:s="%s" xmlns:a="%s"><s:Header>' % (SOAP[soap_v], WSA[wsa_v])
    x += '<a:Action s:mustUnderstand="1">%s</a:Action>' % rst_action
    x += te('a:MessageID', msg_id)
    if wsa_v == 'wsa2004':
        x += '<a:ReplyTo><a:Address>%s</a:Address></a:ReplyTo>' % ANON[wsa_v]
    x += '<a:To s:mustUnderstand="1">%s</a:To>' % esc_text(d['sts'])
    x += security_header(c, action_name == 'renew_context')
    x += '</s:Header><s:Body><t:RequestSecurityToken Context="%s" xmlns:t="%s">' % (ctx, t)
    if action_name != 'issue':
        x += te('t:TokenType', sct_type(sc))
    elif 'token_type' in d:
        x += te('t:TokenType', d['token_type'])
    x += te('t:RequestType', t + ('/Renew' if action_name == 'renew_context' else '/Issue'))
    if 'applies_to' in d:
        x += ('<wsp:AppliesTo xmlns:wsp="%s"><a:EndpointReference>%s</a:EndpointReference>'
              '</wsp:AppliesTo>') % (WSP, te('a:Address', d['applies_to']))
    if 'key_type' in d:
        if d['key_type'] == 'bearer':
            uri = NO_PROOF_KEY if trust == 'feb2005' else \
                BEARER[d.get('bearer_version', 'original_specification')]
        else:
            uri = t + '/SymmetricKey'
        x += te('t:KeyType', uri)
    if 'key_size' in d:
        x += te('t:KeySize', d['key_size'])
    if client_entropy:
        x += '<t:Entropy><t:BinarySecret Type="%s/Nonce">%s</t:BinarySecret></t:Entropy>' % (
            t, b64(client_entropy))
    if action_name == 'renew_context':
        x += '<t:RenewTarget>'
        if 'existing_unattached' in c:
            x += c['existing_unattached']
        else:
            ident, inst = c['existing_ids']
            x += '<o:SecurityTokenReference xmlns:o="%s"><o:Reference URI="%s" ValueType="%s"' % (
                WSSE, esc_attr(ident), sct_type(sc))
            if inst:
                x += ' c:Instance="%s" xmlns:c="%s"' % (esc_attr(inst), SC[sc])
            x += '/></o:SecurityTokenReference>'
        x += '</t:RenewTarget>'
    x += c.get('local_parameters', '')
    if c.get('service_parameters'):
        sp = c['service_parameters']
        x += '<t:SecondaryParameters>%s</t:SecondaryParameters>' % sp if trust == '1.3' else sp
    x += '</t:RequestSecurityToken></s:Body></s:Envelope>'
    return sign(x, signing_keys(c, action_name == 'renew_context')), {
        'message_id': msg_id, 'context': ctx, 'entropy': client_entropy, 'action': rst_action}


# ---- the Security header and its signatures (MS-LWSSP 2.2.1, 2.2.1.7) ---------------------

def timestamp_id(texts):
    """'_0', or the smallest '_N' no token uses as a quoted attribute value."""
    used = set()
    for t in texts:
        used.update(int(m.group(2)) for m in re.finditer(r'(["\'])_(\d{1,9})\1', t))
    n = 0
    while n in used:
        n += 1
    return '_%d' % n


def signing_keys(c, renew):
    keys = []
    if renew:
        keys.append(c['existing_key'])
    if c.get('supporting') and c['supporting'].get('key'):
        keys.append(c['supporting']['key'])
    return keys


def signature_template(ts_id, key_info, n):
    """ds:Signature with @DIGEST@ and @SIGn@ placeholders, filled in by sign()."""
    return ('<ds:Signature xmlns:ds="%s"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="%s">'
            '</ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="%s"></ds:SignatureMethod>'
            '<ds:Reference URI="#%s"><ds:Transforms><ds:Transform Algorithm="%s"></ds:Transform>'
            '</ds:Transforms><ds:DigestMethod Algorithm="%s"></ds:DigestMethod>'
            '<ds:DigestValue>@DIGEST@</ds:DigestValue></ds:Reference></ds:SignedInfo>'
            '<ds:SignatureValue>@SIG%d@</ds:SignatureValue><ds:KeyInfo>%s</ds:KeyInfo>'
            '</ds:Signature>') % (DS, EXC_C14N, HMAC_SHA1, ts_id, EXC_C14N, SHA1, n, key_info)


def security_header(c, renew):
    d = c['description']
    sup = c.get('supporting')
    if 'username' not in d and not sup and not renew:
        return ''
    tokens = ([c['existing_token']] if renew else []) + ([sup['xml']] if sup else [])
    ts_id = timestamp_id(tokens) if tokens else ''
    x = '<o:Security s:mustUnderstand="1" xmlns:o="%s" xmlns:u="%s">' % (WSSE, WSU)
    x += '<u:Timestamp%s><u:Created>%s</u:Created><u:Expires>%s</u:Expires></u:Timestamp>' % (
        ' u:Id="%s"' % ts_id if ts_id else '', millis(c['now']),
        millis(c['now'] + dt.timedelta(minutes=5)))
    if 'username' in d:
        x += '<o:UsernameToken>' + te('o:Username', d['username'])
        x += '<o:Password Type="%s">%s</o:Password></o:UsernameToken>' % (
            PASSWORD_TEXT, esc_text(d.get('password', '')))
    x += ''.join(tokens)
    n = 0
    if renew:
        x += signature_template(ts_id, c['existing_key_info'], n)
        n += 1
    if sup and sup.get('key'):
        x += signature_template(ts_id, sup['key_info'], n)
    return x + '</o:Security>'


def sign(x, keys):
    """Digest of the Timestamp and HMAC-SHA1 of each SignedInfo, by lxml's exclusive c14n of
    the envelope as written."""
    if not keys:
        return x
    from lxml import etree
    doc = etree.fromstring(x.encode())
    security = doc.find('{%s}Header/{%s}Security' % (doc.nsmap['s'], WSSE))
    ts = security.find('{%s}Timestamp' % WSU)
    c14n = etree.tostring(ts, method='c14n', exclusive=True)
    x = x.replace('@DIGEST@', b64(hashlib.sha1(c14n).digest()))
    doc = etree.fromstring(x.encode())
    security = doc.find('{%s}Header/{%s}Security' % (doc.nsmap['s'], WSSE))
    signed = security.findall('{%s}Signature/{%s}SignedInfo' % (DS, DS))
    assert len(signed) == len(keys)
    for n, (si, key) in enumerate(zip(signed, keys)):
        c14n = etree.tostring(si, method='c14n', exclusive=True)
        x = x.replace('@SIG%d@' % n, b64(hmac.new(key, c14n, hashlib.sha1).digest()))
    return x


# KeyInfo references as the core builds them (the o prefix is bound on wsse:Security).
def saml_key_info(assertion_id, v2=False):
    if v2:
        return ('<o:SecurityTokenReference k:TokenType="%s" xmlns:k="%s"><o:KeyIdentifier '
                'ValueType="%s">%s</o:KeyIdentifier></o:SecurityTokenReference>') % (
                    SAMLV20, WSSE11, SAML_ID, assertion_id)
    return ('<o:SecurityTokenReference><o:KeyIdentifier ValueType="%s">%s</o:KeyIdentifier>'
            '</o:SecurityTokenReference>') % (SAML_ASSERTION_ID, assertion_id)


def sct_key_info(sc, uid=None, ident=None, instance=None):
    if uid:
        return ('<o:SecurityTokenReference><o:Reference URI="#%s" ValueType="%s"/>'
                '</o:SecurityTokenReference>') % (uid, sct_type(sc))
    inst = ' c:Instance="%s" xmlns:c="%s"' % (instance, SC[sc]) if instance else ''
    return ('<o:SecurityTokenReference><o:Reference URI="%s" ValueType="%s"%s/>'
            '</o:SecurityTokenReference>') % (ident, sct_type(sc), inst)


# ---- tokens: (raw xml, declarations lift() must carry) ------------------------------------

def saml11_token(assertion_id, hok=False, prefix_declared_outside=False):
    decl = '' if prefix_declared_outside else ' xmlns:saml="%s"' % SAML11
    if hok:
        confirmation = ('<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:'
                        'SAML:1.0:cm:holder-of-key</saml:ConfirmationMethod><KeyInfo xmlns="%s">'
                        '<KeyName>proof-key</KeyName></KeyInfo></saml:SubjectConfirmation>' % DS)
    else:
        confirmation = ('<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:'
                        'SAML:1.0:cm:bearer</saml:ConfirmationMethod></saml:SubjectConfirmation>')
    raw = ('<saml:Assertion MajorVersion="1" MinorVersion="1" AssertionID="%s" '
           'Issuer="https://sts.contoso.test/adfs/services/trust" '
           'IssueInstant="2024-02-14T02:05:51.500Z"%s>'
           '<saml:Conditions NotBefore="2024-02-14T02:05:51.500Z" '
           'NotOnOrAfter="2024-02-14T03:05:51.500Z"><saml:AudienceRestrictionCondition>'
           '<saml:Audience>https://app.contoso.test/</saml:Audience>'
           '</saml:AudienceRestrictionCondition></saml:Conditions>'
           '<saml:AttributeStatement><saml:Subject><saml:NameIdentifier>alice@contoso.test'
           '</saml:NameIdentifier>%s</saml:Subject><saml:Attribute AttributeName="upn" '
           'AttributeNamespace="http://schemas.xmlsoap.org/claims"><saml:AttributeValue>'
           'alice@contoso.test</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>'
           '<ds:Signature xmlns:ds="%s"><ds:SignedInfo><ds:CanonicalizationMethod '
           'Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod '
           'Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><ds:Reference URI="#%s">'
           '<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>'
           '<ds:DigestValue>bm90IGEgcmVhbCBkaWdlc3QhIQ==</ds:DigestValue></ds:Reference>'
           '</ds:SignedInfo><ds:SignatureValue>bm90IGEgcmVhbCBzaWduYXR1cmUsIHRlc3QgZGF0YQ=='
           '</ds:SignatureValue></ds:Signature></saml:Assertion>') % (
               assertion_id, decl, confirmation, DS, assertion_id)
    carried = [('saml', SAML11)] if prefix_declared_outside else []
    return raw, carried


def saml_reference(assertion_id, v2=False):
    if v2:
        return ('<o:SecurityTokenReference k:TokenType="%s" xmlns:o="%s" xmlns:k="%s">'
                '<o:KeyIdentifier ValueType="%s">%s</o:KeyIdentifier>'
                '</o:SecurityTokenReference>') % (SAMLV20, WSSE, WSSE11, SAML_ID, assertion_id)
    return ('<o:SecurityTokenReference xmlns:o="%s"><o:KeyIdentifier ValueType="%s">%s'
            '</o:KeyIdentifier></o:SecurityTokenReference>') % (WSSE, SAML_ASSERTION_ID,
                                                              assertion_id)


def sct_token(sc, ident, instance=None, uid='uuid-sct-1'):
    """u is declared on the RSTR, so lift() carries xmlns:u onto the token."""
    raw = '<c:SecurityContextToken u:Id="%s" xmlns:c="%s"><c:Identifier>%s</c:Identifier>' % (
        uid, SC[sc], ident)
    if instance:
        raw += '<c:Instance>%s</c:Instance>' % instance
    raw += '</c:SecurityContextToken>'
    return raw, [('u', WSU)]


def sct_references(sc, ident, instance=None, uid='uuid-sct-1', o_outside=False):
    """(attached, unattached) as written in the RSTR, and as lift() returns them."""
    odecl = '' if o_outside else ' xmlns:o="%s"' % WSSE
    att = ('<o:SecurityTokenReference%s><o:Reference URI="#%s" ValueType="%s"/>'
           '</o:SecurityTokenReference>') % (odecl, uid, sct_type(sc))
    inst = ' c:Instance="%s" xmlns:c="%s"' % (instance, SC[sc]) if instance else ''
    un = ('<o:SecurityTokenReference%s><o:Reference URI="%s" ValueType="%s"%s/>'
          '</o:SecurityTokenReference>') % (odecl, ident, sct_type(sc), inst)
    carried = [('o', WSSE)] if o_outside else []
    return (att, lift(att, carried)), (un, lift(un, carried))


def lift(raw, carried):
    if not carried:
        return raw
    name_end = 1 + len(re.match(r'<([^\s/>]+)', raw).group(1))
    decls = ''.join(' xmlns:%s="%s"' % (p, u) for p, u in sorted(carried))
    return raw[:name_end] + decls + raw[name_end:]


def read(path):
    with open(path, 'rb') as f:
        return f.read().decode('utf-8')


# ---- the RSTR ---------------------------------------------------------------------------

def build_rstr(c, sent):
    d, r = c['description'], c['response']
    trust, wsa_v, soap_v = d['trust'], d['addressing'], d['soap']
    t = TRUST[trust]
    x = '<s:Envelope xmlns:s="%s" xmlns:a="%s"%s>' % (
        SOAP[soap_v], WSA[wsa_v], ''.join(' xmlns:%s="%s"' % kv for kv in r.get('envelope_ns', [])))
    x += '<s:Header><a:Action s:mustUnderstand="1">%s</a:Action>' % r['action']
    if r.get('relates_to'):
        x += te('a:RelatesTo', sent['message_id'])
    if r.get('security_header'):
        x += ('<o:Security s:mustUnderstand="1" xmlns:o="%s"><u:Timestamp u:Id="_0" xmlns:u="%s">'
              '<u:Created>2024-02-14T02:05:51.500Z</u:Created><u:Expires>2024-02-14T02:10:51.500Z'
              '</u:Expires></u:Timestamp></o:Security>') % (WSSE, WSU)
    x += '</s:Header><s:Body>'
    rstr_ns = ' xmlns:t="%s"' % t
    extra_ns = ''.join(' xmlns:%s="%s"' % kv for kv in r.get('rstr_ns', []))
    if r.get('collection', trust == '1.3'):
        x += '<t:RequestSecurityTokenResponseCollection%s>' % rstr_ns
        rstr_ns = ''
    ctx = ' Context="%s"' % sent['context'] if r.get('echo_context') else ''
    x += '<t:RequestSecurityTokenResponse%s%s%s>' % (ctx, rstr_ns, extra_ns)
    sep = '\n    ' if r.get('pretty') else ''
    parts = []
    for name in r.get('order', ['TokenType', 'RequestedSecurityToken', 'Attached', 'Unattached',
                                'Proof', 'Entropy', 'Lifetime', 'KeySize', 'KeyType']):
        if name == 'TokenType' and r.get('token_type'):
            parts.append(te('t:TokenType', r['token_type']))
        elif name == 'RequestedSecurityToken':
            parts.append('<t:RequestedSecurityToken>%s%s%s</t:RequestedSecurityToken>' % (
                sep, r['token'][0], sep))
        elif name == 'Attached' and r.get('attached'):
            parts.append('<t:RequestedAttachedReference>%s</t:RequestedAttachedReference>' %
                         r['attached'][0])
        elif name == 'Unattached' and r.get('unattached'):
            parts.append('<t:RequestedUnattachedReference>%s</t:RequestedUnattachedReference>' %
                         r['unattached'][0])
        elif name == 'Proof' and r.get('proof'):
            kind, value = r['proof']
            if kind == 'binary':
                typ = ' Type="%s/SymmetricKey"' % t if r.get('proof_type', True) else ''
                parts.append('<t:RequestedProofToken><t:BinarySecret%s>%s</t:BinarySecret>'
                             '</t:RequestedProofToken>' % (typ, b64(value)))
            else:
                parts.append('<t:RequestedProofToken><t:ComputedKey>%s/CK/PSHA1</t:ComputedKey>'
                             '</t:RequestedProofToken>' % t)
        elif name == 'Entropy' and r.get('server_entropy'):
            parts.append('<t:Entropy><t:BinarySecret Type="%s/Nonce">%s</t:BinarySecret>'
                         '</t:Entropy>' % (t, b64(r['server_entropy'])))
        elif name == 'Lifetime' and r.get('lifetime'):
            created, expires = r['lifetime']
            inner = ''
            if created:
                inner += '<wsu:Created xmlns:wsu="%s">%s</wsu:Created>' % (WSU, created)
            if expires:
                inner += '<wsu:Expires xmlns:wsu="%s">%s</wsu:Expires>' % (WSU, expires)
            parts.append('<t:Lifetime>%s</t:Lifetime>' % inner)
        elif name == 'KeySize' and r.get('key_size'):
            parts.append(te('t:KeySize', str(r['key_size'])))
        elif name == 'KeyType' and r.get('key_type'):
            parts.append(te('t:KeyType', r['key_type']))
        elif name == 'AppliesTo' and 'applies_to' in d:
            parts.append(('<wsp:AppliesTo xmlns:wsp="%s"><a:EndpointReference><a:Address>%s'
                          '</a:Address></a:EndpointReference></wsp:AppliesTo>') % (
                              WSP, esc_text(d['applies_to'])))
        elif name == 'RequestType':
            parts.append(te('t:RequestType', t + '/Issue'))
    x += sep + sep.join(parts) + (sep[:-2] if sep else '')
    x += '</t:RequestSecurityTokenResponse>'
    if r.get('collection', trust == '1.3'):
        x += '</t:RequestSecurityTokenResponseCollection>'
    x += '</s:Body></s:Envelope>'
    if r.get('pretty'):
        x += '\n'
    return x


def expected(c, sent):
    d, r = c['description'], c['response']
    action_name = d.get('action', 'issue')
    sc = d.get('secure_conversation', 'feb2005')
    token_xml = lift(*r['token'])
    if r.get('token_type'):
        token_type = r['token_type']
    elif action_name != 'issue':
        token_type = sct_type(sc)
    elif 'token_type' in d:
        token_type = d['token_type']
    else:
        token_type = r['derived_token_type']
    key = r['expect_key']
    if key == 'bearer':
        proof = b''
    elif key == 'client':
        proof = sent['entropy']
    elif key == 'server':
        proof = r['proof'][1]
    else:
        bits = r.get('key_size') or int(d.get('key_size', 256))
        proof = p_sha1(sent['entropy'], r['server_entropy'], bits // 8)
    lifetime = r.get('lifetime') or (None, None)
    e = [
        ('action', sent['action']),
        ('token_type', token_type),
        ('token_sha256', hashlib.sha256(token_xml.encode()).hexdigest()),
        ('token_prefix', token_xml[:60]),
        ('attached_reference', r['attached'][1] if r.get('attached') else 'none'),
        ('unattached_reference', r['unattached'][1] if r.get('unattached') else 'none'),
        ('valid_from', normalize(lifetime[0]) if lifetime[0] else 'unbounded'),
        ('valid_till', normalize(lifetime[1]) if lifetime[1] else 'unbounded'),
        ('key_type', 'bearer' if key == 'bearer' else 'symmetric'),
        ('proof_key', proof.hex() if proof else 'none'),
        ('key_size', str(len(proof) * 8)),
    ]
    if 'context_id' in r:
        e.append(('context_id', r['context_id']))
        e.append(('context_instance', r.get('context_instance') or 'none'))
    return e


# ---- the cases ----------------------------------------------------------------------------

STS13 = 'https://sts.contoso.test/adfs/services/trust/13/usernamemixed'
STS2005 = 'https://sts.contoso.test/adfs/services/trust/2005/usernamemixed'
SCT_STS = 'https://wcf.contoso.test/service/secureconversation.svc'
APP = 'https://app.contoso.test/'
NOW = '2024-02-14T02:05:51.482Z'
LT_Z = ('2024-02-14T02:05:51.482Z', '2024-02-14T03:05:51.482Z')
LT_OFFSET = ('2024-02-14T03:05:51.4821234+01:00', '2024-02-14T05:35:51.4821234+02:30')
LT_NOFRAC = ('2024-02-14T02:05:51Z', '2024-02-14T10:05:51Z')
LT_NINE = ('2024-02-14T02:05:51.123456789Z', '2024-02-15T02:05:51.987654321Z')
LT_NEG = ('2024-02-13T21:05:51.5-05:00', '2024-02-13T23:05:51.25-04:00')
SERVER_KEY_32 = bytes.fromhex('5f5d1b3cf44527356bd779f0c586152e999de45b2ee9147b8e4179c6d095fe43')
SERVER_ENTROPY_32 = bytes(range(32, 64))
NOW_LATER = '2024-02-14T02:05:52.016Z'
FED_STS13 = 'https://sts.fabrikam.test/adfs/services/trust/13/issuedtokenmixedsymmetricbasic256'
FED_STS2005 = 'https://sts.fabrikam.test/adfs/services/trust/2005/issuedtokenmixedsymmetricbasic256'
FED_APP = 'https://api.fabrikam.test/'
# The bench exchange's proof key: P_SHA1(client entropy 00..1f, server entropy a0..bf).
BENCH_KEY = p_sha1(bytes(range(32)), bytes(range(0xa0, 0xc0)), 32)
# Proof keys of the SCTs being renewed.
OLD_KEY_A = bytes(range(0xd0, 0xf0))
OLD_KEY_B = hashlib.sha256(b'wst renew 1.3').digest()
OLD_KEY_C = bytes(range(0x90, 0xa0))
OLD_KEY_D = hashlib.sha256(b'wst renew client').digest()[:24]

ADFS_ORDER = ['Lifetime', 'AppliesTo', 'RequestedSecurityToken', 'Attached', 'Unattached',
              'Proof', 'Entropy', 'TokenType', 'RequestType', 'KeySize', 'KeyType']


def t_actions(trust):
    t = TRUST[trust]
    return {'issue': t + '/RSTR/Issue', 'final': t + '/RSTRC/IssueFinal',
            'sct': t + '/RSTR/SCT', 'renew': t + '/RSTR/SCT/Renew',
            'renew_final': t + '/RSTR/RenewFinal'}


def cases():
    a05, a13 = t_actions('feb2005'), t_actions('1.3')
    s11 = saml11_token('_a1b2c3d4-0001')
    s11_hok = saml11_token('_a1b2c3d4-0002', hok=True)
    s11_outside = saml11_token('_a1b2c3d4-0003', prefix_declared_outside=True)
    contoso = (read(os.path.join(HERE, 'saml2-assertion-contoso-SIGVALID.xml')), [])
    vsphere = (read(os.path.join(VECTORS, 'captured', 'vsphere-sso-saml2-assertion-SIGVALID.xml')),
               [])
    ref = lambda rid, v2=False: (saml_reference(rid, v2), saml_reference(rid, v2))
    fab_bearer = saml11_token('_fabrikam-0001')
    fab_hok = saml11_token('_fabrikam-0002', hok=True)
    sct05 = 'urn:uuid:5f1c8e2a-9b3d-4c7e-8a10-000000000005'
    sct13 = 'urn:uuid:5f1c8e2a-9b3d-4c7e-8a10-000000000013'
    inst = 'urn:uuid:0d9e8f7a-6b5c-4d3e-9f21-00000000000a'
    inst2 = 'urn:uuid:0d9e8f7a-6b5c-4d3e-9f21-00000000000b'
    out = []

    def case(name, description, response, **extra):
        c = {'name': name, 'description': description, 'response': response}
        c.update(extra)
        out.append(c)

    case('t2005-issue-bearer-soap12-wsa10', dict(
        sts=STS2005, soap='soap12', addressing='wsa10', trust='feb2005', now=NOW,
        applies_to='urn:federation:MicrosoftOnline', key_type='bearer',
        token_type=SAML11, username='CONTOSO\\alice', password='p@ss<&>w0rd"'), dict(
        action=a05['issue'], security_header=True, order=ADFS_ORDER, lifetime=LT_Z,
        token=s11, attached=ref('_a1b2c3d4-0001'), unattached=ref('_a1b2c3d4-0001'),
        token_type=SAML11, key_type=NO_PROOF_KEY, expect_key='bearer'))
    case('t13-issue-bearer-errata-soap12-wsa10', dict(
        sts=STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW,
        applies_to='urn:federation:MicrosoftOnline', key_type='bearer',
        bearer_version='errata_01', username='alice@contoso.test', password='secret'), dict(
        action=a13['final'], relates_to=True, security_header=True, order=ADFS_ORDER,
        rstr_ns=[('saml', SAML11)], lifetime=LT_OFFSET, token=s11_outside,
        attached=ref('_a1b2c3d4-0003'), unattached=ref('_a1b2c3d4-0003'),
        token_type=SAMLV11, key_type=BEARER['errata_01'], expect_key='bearer'))
    case('t13-issue-bearer-spec-soap11-wsa10', dict(
        sts=STS13, soap='soap11', addressing='wsa10', trust='1.3', now=NOW, applies_to=APP,
        key_type='bearer', bearer_version='original_specification', token_type=SAMLV11), dict(
        action=a13['issue'], token=s11, key_type=BEARER['original_specification'],
        expect_key='bearer'))
    case('t13-issue-bearer-schema-soap12-wsa2004', dict(
        sts=STS13, soap='soap12', addressing='wsa2004', trust='1.3', now=NOW, applies_to=APP,
        key_type='bearer', bearer_version='original_schema'), dict(
        action=a13['final'], relates_to=True, token=s11, lifetime=(None, LT_Z[1]),
        key_type=BEARER['original_schema'], derived_token_type=SAML11, expect_key='bearer'))
    case('t2005-issue-symmetric-server-soap11-wsa2004', dict(
        sts=STS2005, soap='soap11', addressing='wsa2004', trust='feb2005', now=NOW,
        applies_to=APP, key_type='symmetric', key_size='256', entropy='server_only',
        token_type=SAML11), dict(
        action=a05['issue'], relates_to=True, echo_context=True, token=s11_hok,
        attached=ref('_a1b2c3d4-0002'), proof=('binary', SERVER_KEY_32), lifetime=LT_NOFRAC,
        key_size=256, key_type=TRUST['feb2005'] + '/SymmetricKey', token_type=SAML11,
        expect_key='server'))
    case('t13-issue-symmetric-server-soap12-wsa10', dict(
        sts=STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW, applies_to=APP,
        key_type='symmetric', key_size='128', entropy='server_only', token_type=SAMLV11,
        username='bob', password='hunter2'), dict(
        action=a13['final'], pretty=True, token=s11_hok, proof=('binary', bytes(range(16))),
        proof_type=False, lifetime=LT_NINE, key_type=TRUST['1.3'] + '/SymmetricKey',
        token_type=SAMLV11, expect_key='server'))
    case('t2005-issue-symmetric-client-soap12-wsa10', dict(
        sts=STS2005, soap='soap12', addressing='wsa10', trust='feb2005', now=NOW,
        applies_to=APP, key_type='symmetric', key_size='256', entropy='client_only',
        rng_first_byte='0x40'), dict(
        action=a05['issue'], relates_to=True, token=s11_hok, lifetime=LT_Z, key_size=256,
        key_type=TRUST['feb2005'] + '/SymmetricKey', token_type=SAML11, expect_key='client'))
    case('t13-issue-symmetric-client-soap11-wsa2004', dict(
        sts=STS13, soap='soap11', addressing='wsa2004', trust='1.3', now=NOW, applies_to=APP,
        key_type='symmetric', key_size='192', entropy='client_only', rng_first_byte='0x80'), dict(
        action=a13['final'], token=s11_hok, lifetime=LT_NEG, token_type=SAMLV11,
        expect_key='client'))
    case('t2005-issue-symmetric-combined-soap12-wsa10', dict(
        sts=STS2005, soap='soap12', addressing='wsa10', trust='feb2005', now=NOW,
        applies_to=APP, key_type='symmetric', key_size='256', entropy='combined',
        token_type=SAML11), dict(
        action=a05['issue'], relates_to=True, echo_context=True, token=s11_hok,
        attached=ref('_a1b2c3d4-0002'), unattached=ref('_a1b2c3d4-0002'),
        proof=('computed', None), server_entropy=SERVER_ENTROPY_32, lifetime=LT_Z,
        key_size=256, key_type=TRUST['feb2005'] + '/SymmetricKey', token_type=SAML11,
        expect_key='combined'))
    case('bench', dict(
        sts=STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW, applies_to=APP,
        key_type='symmetric', entropy='combined', token_type=SAMLV20,
        username='alice@contoso.test', password='correct horse battery staple'), dict(
        action=a13['final'], security_header=True, token=contoso,
        attached=ref('_8f3b2c1a-5d4e-4f60-9a7b-0c1d2e3f4a5b', True),
        unattached=ref('_8f3b2c1a-5d4e-4f60-9a7b-0c1d2e3f4a5b', True),
        proof=('computed', None), server_entropy=bytes(range(0xa0, 0xc0)),
        lifetime=('2024-02-14T02:05:51.500Z', '2024-02-14T10:05:51.500Z'),
        key_type=TRUST['1.3'] + '/SymmetricKey', token_type=SAMLV20, expect_key='combined'))
    case('t13-issue-symmetric-combined-soap11-wsa2004', dict(
        sts=STS13, soap='soap11', addressing='wsa2004', trust='1.3', now=NOW, applies_to=APP,
        key_type='symmetric', key_size='512', entropy='combined', rng_first_byte='0x10'), dict(
        action=a13['final'], relates_to=True, pretty=True, token=s11_hok,
        proof=('computed', None), server_entropy=bytes(range(0x30, 0x60)), lifetime=LT_OFFSET,
        key_size=512, token_type=SAMLV11, expect_key='combined'))
    case('t2005-issue-keyabsent-server-soap12-wsa10', dict(
        sts=STS2005, soap='soap12', addressing='wsa10', trust='feb2005', now=NOW,
        applies_to=APP, token_type=SAML11), dict(
        action=a05['issue'], token=s11_hok, proof=('binary', SERVER_KEY_32), lifetime=LT_Z,
        key_type=TRUST['feb2005'] + '/SymmetricKey', expect_key='server'))
    case('t13-issue-keyabsent-server-bearer-soap12-wsa10', dict(
        sts=STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW,
        applies_to='urn:federation:MicrosoftOnline', token_type=SAMLV11), dict(
        action=a13['final'], pretty=True, token=s11, lifetime=LT_NOFRAC,
        attached=ref('_a1b2c3d4-0001'), expect_key='bearer'))
    case('t2005-issue-keyabsent-combined-soap11-wsa10', dict(
        sts=STS2005, soap='soap11', addressing='wsa10', trust='feb2005', now=NOW,
        applies_to=APP, key_size='256', entropy='combined', rng_first_byte='0x20'), dict(
        action=a05['issue'], token=s11_hok, proof=('computed', None),
        server_entropy=bytes(range(0x60, 0x70)), derived_token_type=SAML11,
        expect_key='combined'))
    case('t13-issue-keyabsent-client-soap12-wsa2004', dict(
        sts=STS13, soap='soap12', addressing='wsa2004', trust='1.3', now=NOW, applies_to=APP,
        entropy='client_only', rng_first_byte='0xf0'), dict(
        action=a13['final'], relates_to=True, token=s11_hok, lifetime=LT_Z,
        token_type=SAMLV11, expect_key='client'))
    case('t2005-issue-params-vsphere-soap12-wsa10', dict(
        sts='https://vcenter.contoso.test/sts/STSService/vsphere.local', soap='soap12',
        addressing='wsa10', trust='feb2005', now=NOW, key_type='bearer', token_type=SAML20,
        local_parameters_file='local_parameters.xml',
        service_parameters_file='service_parameters.xml'), dict(
        action=a05['issue'], relates_to=True, token=vsphere,
        lifetime=('2018-03-04T00:27:56.409Z', '2018-03-04T00:57:56.409Z'),
        key_type=NO_PROOF_KEY, expect_key='bearer'),
        local_parameters='<x:Renewing Allow="false" OK="false" xmlns:x="urn:wst-test:local"/>'
                         '<x:Delegatable xmlns:x="urn:wst-test:local">true</x:Delegatable>',
        service_parameters='<Claims Dialect="http://schemas.xmlsoap.org/ws/2005/05/identity">'
                           '<i:ClaimType Uri="http://schemas.xmlsoap.org/ws/2005/05/identity/'
                           'claims/upn" xmlns:i="http://schemas.xmlsoap.org/ws/2005/05/identity"/>'
                           '</Claims>')
    case('t13-issue-params-soap12-wsa10', dict(
        sts=STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW, applies_to=APP,
        key_type='symmetric', entropy='server_only', token_type=SAMLV11,
        local_parameters_file='local_parameters.xml',
        service_parameters_file='service_parameters.xml'), dict(
        action=a13['final'], token=s11_hok, proof=('binary', SERVER_KEY_32), lifetime=LT_Z,
        token_type=SAMLV11, expect_key='server'),
        local_parameters='<x:Note xmlns:x="urn:wst-test:local">a &amp; b &lt; c</x:Note>',
        service_parameters='<wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy">'
                           '<x:Audience xmlns:x="urn:wst-test:service">' + APP +
                           '</x:Audience></wsp:Policy>')

    # --- WS-SecureConversation: new context ---
    att, un = sct_references('feb2005', sct05, o_outside=True)
    case('t2005-sct-new-combined-soap12-wsa10', dict(
        sts=SCT_STS, soap='soap12', addressing='wsa10', trust='feb2005', now=NOW,
        action='new_context', key_type='symmetric', key_size='256', entropy='combined'), dict(
        action=a05['sct'], relates_to=True, rstr_ns=[('u', WSU), ('o', WSSE)],
        token=sct_token('feb2005', sct05), attached=att, unattached=un,
        proof=('computed', None), server_entropy=SERVER_KEY_32,
        lifetime=('2024-02-14T02:06:53.3184132Z', '2024-02-14T17:06:53.3184132Z'),
        key_size=256, token_type=sct_type('feb2005'), expect_key='combined',
        context_id=sct05))
    att, un = sct_references('1.3', sct13)
    case('t13-sct-new-combined-soap12-wsa10', dict(
        sts=SCT_STS, soap='soap12', addressing='wsa10', trust='1.3', secure_conversation='1.3',
        now=NOW, action='new_context', entropy='combined', rng_first_byte='0x33'), dict(
        action=a13['sct'], relates_to=True, echo_context=True, rstr_ns=[('u', WSU)],
        token=sct_token('1.3', sct13), attached=att, unattached=un, proof=('computed', None),
        server_entropy=bytes(range(0x11, 0x31)), lifetime=LT_NINE, key_size=256,
        token_type=sct_type('1.3'), expect_key='combined', context_id=sct13))
    att, un = sct_references('feb2005', sct05)
    case('t2005-sct-new-server-soap11-wsa2004', dict(
        sts=SCT_STS, soap='soap11', addressing='wsa2004', trust='feb2005', now=NOW,
        action='new_context', key_type='symmetric', key_size='256', entropy='server_only'), dict(
        action=a05['sct'], relates_to=True, envelope_ns=[('u', WSU)],
        token=sct_token('feb2005', sct05), attached=att, unattached=un,
        proof=('binary', SERVER_KEY_32), lifetime=LT_Z, expect_key='server', context_id=sct05))
    att, un = sct_references('1.3', sct13, instance=inst)
    case('t13-sct-new-client-soap11-wsa10', dict(
        sts=SCT_STS, soap='soap11', addressing='wsa10', trust='1.3', secure_conversation='1.3',
        now=NOW, action='new_context', key_type='symmetric', key_size='128',
        entropy='client_only', rng_first_byte='0x99'), dict(
        action=a13['sct'], pretty=True, rstr_ns=[('u', WSU)],
        token=sct_token('1.3', sct13, instance=inst), attached=att, unattached=un,
        lifetime=LT_NEG, key_size=128, expect_key='client', context_id=sct13,
        context_instance=inst))

    # --- WS-SecureConversation: renew ---
    def existing(sc, ident, instance=None):
        raw, carried = sct_token(sc, ident, instance, uid='uuid-old-1')
        return lift(raw, carried)

    # The renew request proves possession of the SCT: it carries the SCT and a signature by
    # the SCT's key (OLD_KEY_*) over the Timestamp, KeyInfo -> "#uuid-old-1" (its wsu:Id).
    old_ki = lambda sc: sct_key_info(sc, uid='uuid-old-1')
    att, un = sct_references('feb2005', sct05, instance=inst2)
    old_un = sct_references('feb2005', sct05, instance=inst, uid='uuid-old-1')[1][1]
    case('t2005-sct-renew-combined-soap12-wsa10', dict(
        sts=SCT_STS, soap='soap12', addressing='wsa10', trust='feb2005', now=NOW,
        action='renew_context', key_type='symmetric', key_size='256', entropy='combined',
        existing_token_file='existing_token.xml',
        existing_unattached_reference_file='existing_unattached_reference.xml',
        username='svc-renew', password='r3new!', existing_proof_key=OLD_KEY_A.hex()), dict(
        action=a05['renew'], relates_to=True, rstr_ns=[('u', WSU)],
        token=sct_token('feb2005', sct05, instance=inst2, uid='uuid-sct-2'), attached=att,
        unattached=un, proof=('computed', None), server_entropy=bytes(range(0x70, 0x90)),
        lifetime=LT_OFFSET, key_size=256, token_type=sct_type('feb2005'), expect_key='combined',
        context_id=sct05, context_instance=inst2),
        existing_token=existing('feb2005', sct05, inst), existing_unattached=old_un,
        existing_key=OLD_KEY_A, existing_key_info=old_ki('feb2005'))
    att, un = sct_references('1.3', sct13, instance=inst2, o_outside=True)
    case('t13-sct-renew-combined-soap12-wsa10', dict(
        sts=SCT_STS, soap='soap12', addressing='wsa10', trust='1.3', secure_conversation='1.3',
        now=NOW, action='renew_context', entropy='combined', rng_first_byte='0x55',
        existing_token_file='existing_token.xml', existing_proof_key=OLD_KEY_B.hex()), dict(
        action=a13['renew_final'], relates_to=True, rstr_ns=[('u', WSU), ('o', WSSE)],
        token=sct_token('1.3', sct13, instance=inst2), attached=att, unattached=un,
        proof=('computed', None), server_entropy=bytes(range(0x01, 0x21)), lifetime=LT_Z,
        expect_key='combined', context_id=sct13, context_instance=inst2),
        existing_token=existing('1.3', sct13, inst), existing_ids=(sct13, inst),
        existing_key=OLD_KEY_B, existing_key_info=old_ki('1.3'))
    # The SCT's attached reference (from its issuing RSTR) is given: KeyInfo copies it.
    old_att = sct_references('feb2005', sct05, uid='uuid-old-1')[0][1]
    att, un = sct_references('feb2005', sct05)
    case('t2005-sct-renew-server-soap11-wsa2004', dict(
        sts=SCT_STS, soap='soap11', addressing='wsa2004', trust='feb2005', now=NOW,
        action='renew_context', key_type='symmetric', entropy='server_only',
        existing_token_file='existing_token.xml',
        existing_attached_reference_file='existing_attached_reference.xml',
        existing_proof_key=OLD_KEY_C.hex()), dict(
        action=a05['renew'], rstr_ns=[('u', WSU)], token=sct_token('feb2005', sct05),
        attached=att, unattached=un, proof=('binary', SERVER_KEY_32), lifetime=LT_NOFRAC,
        key_size=256, expect_key='server', context_id=sct05),
        existing_token=existing('feb2005', sct05), existing_ids=(sct05, None),
        existing_attached=old_att, existing_key=OLD_KEY_C, existing_key_info=old_att)
    att, un = sct_references('1.3', sct13, instance=inst2)
    old_un = sct_references('1.3', sct13, instance=inst, uid='uuid-old-1')[1][1]
    case('t13-sct-renew-client-soap12-wsa2004', dict(
        sts=SCT_STS, soap='soap12', addressing='wsa2004', trust='1.3', secure_conversation='1.3',
        now=NOW, action='renew_context', key_type='symmetric', key_size='256',
        entropy='client_only', rng_first_byte='0xc0', existing_token_file='existing_token.xml',
        existing_unattached_reference_file='existing_unattached_reference.xml',
        existing_proof_key=OLD_KEY_D.hex()), dict(
        action=a13['renew'], relates_to=True, echo_context=True, rstr_ns=[('u', WSU)],
        token=sct_token('1.3', sct13, instance=inst2), attached=att, unattached=un,
        lifetime=LT_NINE, token_type=sct_type('1.3'), expect_key='client', context_id=sct13,
        context_instance=inst2),
        existing_token=existing('1.3', sct13, inst), existing_unattached=old_un,
        existing_key=OLD_KEY_D, existing_key_info=old_ki('1.3'))
    att, un = sct_references('1.3', sct13)
    case('t2005-sct-new-sc13-keyabsent-combined-soap12-wsa10', dict(
        sts=SCT_STS, soap='soap12', addressing='wsa10', trust='feb2005',
        secure_conversation='1.3', now=NOW, action='new_context', entropy='combined',
        rng_first_byte='0x07'), dict(
        action=a05['sct'], relates_to=True, rstr_ns=[('u', WSU)],
        token=sct_token('1.3', sct13), attached=att, unattached=un, proof=('computed', None),
        server_entropy=bytes(range(0xe0, 0x100)), lifetime=LT_Z, expect_key='combined',
        context_id=sct13))

    # --- Message security: an issued token buys another token (federation) ---
    # A SAML 1.1 bearer token from the first STS (t2005-issue-bearer's assertion): Timestamp
    # and token in the Security header, nothing signed.
    case('t13-issue-supporting-saml11-bearer-soap12-wsa10', dict(
        sts=FED_STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW,
        applies_to=FED_APP, key_type='bearer', bearer_version='errata_01', token_type=SAMLV11,
        supporting_token_file='supporting_token.xml'), dict(
        action=a13['final'], relates_to=True, token=fab_bearer, lifetime=LT_Z,
        attached=ref('_fabrikam-0001'), token_type=SAMLV11, key_type=BEARER['errata_01'],
        expect_key='bearer'),
        supporting=dict(xml=s11[0]))
    # The holder-of-key SAML 2.0 assertion of the bench exchange with its proof key (P_SHA1 of
    # that exchange's entropies): signed, KeyInfo built by the core (KeyIdentifier #SAMLID).
    case('t13-issue-supporting-saml20-hok-soap12-wsa10', dict(
        sts=FED_STS13, soap='soap12', addressing='wsa10', trust='1.3', now=NOW_LATER,
        applies_to=FED_APP, key_type='symmetric', entropy='combined', token_type=SAMLV11,
        rng_first_byte='0x21', supporting_token_file='supporting_token.xml',
        supporting_proof_key=BENCH_KEY.hex()), dict(
        action=a13['final'], relates_to=True, echo_context=True, token=fab_hok,
        attached=ref('_fabrikam-0002'), unattached=ref('_fabrikam-0002'),
        proof=('computed', None), server_entropy=bytes(range(0x41, 0x61)), lifetime=LT_Z,
        key_size=256, key_type=TRUST['1.3'] + '/SymmetricKey', token_type=SAMLV11,
        expect_key='combined'),
        supporting=dict(xml=contoso[0], key=BENCH_KEY,
                        key_info=saml_key_info('_8f3b2c1a-5d4e-4f60-9a7b-0c1d2e3f4a5b', True)))
    # A holder-of-key SAML 1.1 assertion with a 128-bit key and the attached reference its
    # issuer returned (ADFS style, wsse11:TokenType), next to a UsernameToken; Feb 2005.
    hok_ref = ('<o:SecurityTokenReference k:TokenType="%s" xmlns:o="%s" xmlns:k="%s">'
               '<o:KeyIdentifier ValueType="%s">_a1b2c3d4-0002</o:KeyIdentifier>'
               '</o:SecurityTokenReference>') % (SAMLV11, WSSE, WSSE11, SAML_ASSERTION_ID)
    case('t2005-issue-supporting-saml11-hok-soap11-wsa2004', dict(
        sts=FED_STS2005, soap='soap11', addressing='wsa2004', trust='feb2005', now=NOW,
        applies_to=FED_APP, key_type='symmetric', key_size='256', entropy='server_only',
        token_type=SAML11, username='alice@contoso.test', password='second factor',
        supporting_token_file='supporting_token.xml',
        supporting_attached_reference_file='supporting_attached_reference.xml',
        supporting_proof_key=bytes(range(16)).hex()), dict(
        action=a05['issue'], relates_to=True, token=fab_hok, attached=ref('_fabrikam-0002'),
        proof=('binary', SERVER_KEY_32), lifetime=LT_NOFRAC, key_size=256,
        key_type=TRUST['feb2005'] + '/SymmetricKey', token_type=SAML11, expect_key='server'),
        supporting=dict(xml=s11_hok[0], key=bytes(range(16)), attached=hok_ref,
                        key_info=hok_ref))
    return out


def write(path, text):
    with open(path, 'wb') as f:
        f.write(text.encode('utf-8'))


def main():
    for c in cases():
        d = c['description']
        now = dt.datetime.strptime(d['now'], '%Y-%m-%dT%H:%M:%S.%fZ')
        c['now'] = now
        env = FixedEnv(now, int(d.get('rng_first_byte', '0'), 0))
        if 'existing_token' in c and 'existing_ids' not in c:
            c['existing_ids'] = None
        rst, sent = build_rst(c, env)
        rstr = build_rstr(c, sent)
        folder = os.path.join(HERE, c['name'])
        if os.path.isdir(folder):
            shutil.rmtree(folder)
        os.makedirs(folder)
        desc = ['# Request description for tests/core/transcript_test.cpp (tests/data/README.md)']
        desc += ['%s=%s' % kv for kv in d.items()]
        write(os.path.join(folder, 'description.txt'), '\n'.join(desc) + '\n')
        write(os.path.join(folder, 'request.xml'), rst)
        write(os.path.join(folder, 'response.xml'), rstr)
        exp = ['# Expected issued_token fields (tests/data/README.md)']
        exp += ['%s=%s' % kv for kv in expected(c, sent)]
        write(os.path.join(folder, 'expected.txt'), '\n'.join(exp) + '\n')
        if 'supporting' in c:
            c['supporting_xml'] = c['supporting']['xml']
            if c['supporting'].get('attached'):
                c['supporting_attached'] = c['supporting']['attached']
        for key, file in (('existing_token', 'existing_token.xml'),
                          ('existing_unattached', 'existing_unattached_reference.xml'),
                          ('existing_attached', 'existing_attached_reference.xml'),
                          ('supporting_xml', 'supporting_token.xml'),
                          ('supporting_attached', 'supporting_attached_reference.xml'),
                          ('local_parameters', 'local_parameters.xml'),
                          ('service_parameters', 'service_parameters.xml')):
            if key in c:
                write(os.path.join(folder, file), c[key])
        print('%-55s request %5d bytes, response %5d bytes' % (c['name'], len(rst), len(rstr)))


if __name__ == '__main__':
    main()
