#include <wst/sts/issuer.hpp>

#include "assertion.hpp"
#include "identifiers.hpp"
#include "namespaces.hpp"
#include "request.hpp"
#include "response.hpp"

#include <wst/sts/errc.hpp>
#include <wst/xml/writer.hpp>

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace wst::detail::sts {

namespace {

// The proof key of one issuance and how the reply conveys it.
struct proof {
  proof_form form = proof_form::none;
  bool symmetric = false;  // false: bearer (no key at all)
  crypto::secure_bytes key;
  crypto::secure_bytes server_entropy;  // computed_key only
  std::optional<std::size_t> bits;      // reply KeySize
};

// One issued security context, kept for renewal.
struct security_context {
  crypto::secure_bytes key;
  clock::time_point expires;
  sc_version sc = sc_version::v13;
  std::string owner;  // authenticated user name; empty when issued without a users file
};

}  // namespace

struct issuer::state {
  issuer_options opts;
  signing_identity identity;
  std::string certificate_b64;
  std::unique_ptr<user_table> users;
  const clock& clk;
  crypto::random_source& rng;
  std::atomic<std::uint64_t> requests{0}, issued{0}, renewed{0}, faults{0};
  std::mutex contexts_mutex;
  std::unordered_map<std::string, security_context> contexts;

  state(issuer_options o, signing_identity id, std::unique_ptr<user_table> u, const clock& c,
        crypto::random_source& r)
      : opts(std::move(o)),
        identity(std::move(id)),
        certificate_b64(crypto::base64_encode(identity.cert.der())),
        users(std::move(u)),
        clk(c),
        rng(r) {}

  struct caller {
    std::string subject = "anonymous";
    bool authenticated = false;  // checked against the users file
  };

  result<caller> authenticate(const rst& r, reply_context& ctx) const {
    caller who;
    const credentials* presented = r.username_token ? &*r.username_token
                                   : r.basic        ? &*r.basic
                                                    : nullptr;
    if (presented && !presented->user.empty()) who.subject = presented->user;
    if (!users) return who;
    if (r.username_token && !users->check(r.username_token->user, r.username_token->password))
      return failure(errc::failed_authentication, "unknown user or wrong password (UsernameToken)");
    if (r.basic && !users->check(r.basic->user, r.basic->password)) {
      ctx.basic_challenge = true;
      return failure(errc::failed_authentication, "unknown user or wrong password (HTTP Basic)");
    }
    if (!presented) {
      // A renewal is authorised by the context identifier (see docs/sts.md).
      if (r.action == rst_action::sct_renew) return who;
      ctx.basic_challenge = true;
      return failure(errc::failed_authentication,
                     "credentials required: a wsse:UsernameToken or HTTP Basic authorization");
    }
    who.authenticated = true;
    return who;
  }

  crypto::secure_bytes random_bytes(std::size_t n) {
    crypto::secure_bytes b(n);
    rng.fill(b.data(), b.size());
    return b;
  }

  result<proof> make_proof(const rst& r) {
    proof p;
    if (r.key == key_kind::bearer) return p;
    p.symmetric = true;
    const std::size_t bits = r.key_bits.value_or(opts.default_key_bits);
    if (r.client_entropy) {
      if (!r.computed_key_requested && opts.client_entropy == client_entropy_policy::use_as_key) {
        p.key = *r.client_entropy;
        p.bits = p.key.size() * 8;
        return p;
      }
      p.form = proof_form::computed_key;
      p.server_entropy = random_bytes(bits / 8);
      auto key = crypto::p_sha1_checked(*r.client_entropy, p.server_entropy, bits / 8);
      if (!key) return failure(errc::request_failed, "P_SHA1 failed: " + key.error().describe());
      p.key = std::move(*key);
      p.bits = bits;
      return p;
    }
    if (r.computed_key_requested)
      return failure(errc::invalid_request, "ComputedKeyAlgorithm needs client Entropy");
    p.form = proof_form::binary_secret;
    p.key = random_bytes(bits / 8);
    p.bits = bits;
    return p;
  }

  static std::string_view sct_type(sc_version v) {
    return v == sc_version::feb2005
               ? "http://schemas.xmlsoap.org/ws/2005/02/sc/sct"
               : "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/sct";
  }

  // <c:SecurityContextToken u:Id=...> with its own namespace declarations (lifted out whole).
  static std::string write_sct(sc_version v, const std::string& wsu_id,
                               const std::string& identifier, const std::string* instance) {
    std::string s;
    xml::writer w(s);
    w.start_element("c", "SecurityContextToken");
    w.namespace_decl("c", sc_ns(v));
    w.namespace_decl("u", ns::wsu);
    w.attribute("u", "Id", wsu_id);
    w.text_element("c", "Identifier", identifier);
    if (instance) w.text_element("c", "Instance", *instance);
    w.end_element();
    return s;
  }

  void fill_common(rstr& out, const rst& r, const proof& p, clock::time_point now) {
    out.action = r.reply_action;
    out.context = r.context;
    out.applies_to = r.applies_to;
    out.created = now;
    out.expires = now + opts.lifetime;
    out.proof = p.form;
    out.proof_key = &p.key;
    out.server_entropy = &p.server_entropy;
    out.key_bits = p.bits;
    out.key_type_uri = r.key_type_uri;
  }

  result<http_response> issue_saml(const rst& r, const caller& who, const reply_context& ctx) {
    auto p = make_proof(r);
    if (!p) return std::move(p).error();
    const auto now = clk.now();
    assertion_fields f;
    f.version = r.token == token_kind::saml11 ? saml_version::v11 : saml_version::v20;
    f.id = new_xml_id(rng);
    f.issuer = opts.issuer_name;
    f.subject = who.subject;
    f.password_authenticated = who.authenticated;
    f.issued = now;
    f.expires = now + opts.lifetime;
    f.audience = r.applies_to;
    if (p->symmetric) {
      const auto h = crypto::sha1(p->key);
      f.proof_key_name = crypto::base64_encode(crypto::byte_view(h.data(), h.size()));
    }
    auto token = write_signed_assertion(f, signer{identity, certificate_b64});
    if (!token) return std::move(token).error();

    rstr out;
    fill_common(out, r, *p, now);
    const bool v11 = f.version == saml_version::v11;
    out.token_type_uri = r.token_type_uri.empty()
                             ? std::string(v11 ? ns::token_saml11 : ns::token_saml20)
                             : r.token_type_uri;
    out.token_xml = std::move(*token);
    out.attached.how = token_reference::form::key_identifier;
    out.attached.value = f.id;
    out.attached.value_type = v11 ? ns::saml11_assertion_id : ns::saml20_id;
    out.attached.token_type = v11 ? ns::token_saml11 : ns::token_saml20;
    out.unattached = out.attached;
    ++issued;
    return write_rstr(ctx, out, reply_message_id(ctx));
  }

  result<http_response> issue_sct(const rst& r, const caller& who, const reply_context& ctx) {
    auto p = make_proof(r);
    if (!p) return std::move(p).error();
    const auto now = clk.now();
    const std::string identifier = "urn:uuid:" + new_uuid(rng);
    const std::string wsu_id = "uuid-" + new_uuid(rng);
    {
      std::lock_guard<std::mutex> lock(contexts_mutex);
      if (contexts.size() >= opts.max_contexts) {
        for (auto it = contexts.begin(); it != contexts.end();)
          it = it->second.expires <= now ? contexts.erase(it) : std::next(it);
        if (contexts.size() >= opts.max_contexts)
          return failure(errc::request_failed, "the security context table is full (" +
                                                   std::to_string(opts.max_contexts) + ")");
      }
      contexts[identifier] = security_context{p->key, now + opts.lifetime, r.sc,
                                              who.authenticated ? who.subject : std::string()};
    }
    rstr out;
    fill_common(out, r, *p, now);
    out.token_type_uri = r.token_type_uri.empty() ? std::string(sct_type(r.sc)) : r.token_type_uri;
    out.token_xml = write_sct(r.sc, wsu_id, identifier, nullptr);
    set_sct_references(out, r.sc, wsu_id, identifier);
    ++issued;
    return write_rstr(ctx, out, reply_message_id(ctx));
  }

  result<http_response> renew_sct(const rst& r, const caller& who, const reply_context& ctx) {
    auto p = make_proof(r);
    if (!p) return std::move(p).error();
    const auto now = clk.now();
    sc_version sc;
    {
      std::lock_guard<std::mutex> lock(contexts_mutex);
      auto it = contexts.find(r.renew_target);
      if (it == contexts.end())
        return failure(errc::bad_context_token,
                       "unknown security context '" + r.renew_target + "'");
      if (who.authenticated && !it->second.owner.empty() && it->second.owner != who.subject)
        return failure(errc::failed_authentication, "the security context belongs to another user");
      it->second.key = p->key;
      it->second.expires = now + opts.lifetime;
      sc = it->second.sc;
    }
    const std::string wsu_id = "uuid-" + new_uuid(rng);
    const std::string instance = "urn:uuid:" + new_uuid(rng);
    rstr out;
    fill_common(out, r, *p, now);
    out.token_type_uri = std::string(sct_type(sc));
    // WS-SecureConversation 1.3 tells renewed instances apart with sc:Instance; February 2005
    // has no such element.
    out.token_xml =
        write_sct(sc, wsu_id, r.renew_target, sc == sc_version::v13 ? &instance : nullptr);
    set_sct_references(out, sc, wsu_id, r.renew_target);
    ++renewed;
    return write_rstr(ctx, out, reply_message_id(ctx));
  }

  static void set_sct_references(rstr& out, sc_version sc, const std::string& wsu_id,
                                 const std::string& identifier) {
    out.attached.how = token_reference::form::reference;
    out.attached.value = "#" + wsu_id;
    out.attached.value_type = sct_type(sc);
    out.unattached.how = token_reference::form::reference;
    out.unattached.value = identifier;
    out.unattached.value_type = sct_type(sc);
  }

  std::string reply_message_id(const reply_context& ctx) {
    return ctx.wsa == addressing::none ? std::string() : "urn:uuid:" + new_uuid(rng);
  }

  result<http_response> serve(const http_request& req, reply_context& ctx) {
    auto r = read_request(req, opts, ctx);
    if (!r) return std::move(r).error();
    auto who = authenticate(*r, ctx);
    if (!who) return std::move(who).error();
    if (r->action == rst_action::sct_renew) return renew_sct(*r, *who, ctx);
    if (r->token == token_kind::sct) return issue_sct(*r, *who, ctx);
    return issue_saml(*r, *who, ctx);
  }
};

issuer::issuer(issuer_options opts, signing_identity identity, std::unique_ptr<user_table> users,
               const clock& clk, crypto::random_source& rng)
    : s_(std::make_unique<state>(std::move(opts), std::move(identity), std::move(users), clk,
                                 rng)) {}

issuer::~issuer() = default;

http_response issuer::respond(const http_request& req) {
  s_->requests.fetch_add(1, std::memory_order_relaxed);
  reply_context ctx;
  std::optional<failure> refused;
  try {
    auto resp = s_->serve(req, ctx);
    if (resp) return std::move(*resp);
    refused = std::move(resp).error();
  } catch (const std::exception& e) {
    refused = failure(errc::request_failed, std::string("internal error: ") + e.what());
  } catch (...) {
    refused = failure(errc::request_failed, "internal error");
  }
  s_->faults.fetch_add(1, std::memory_order_relaxed);
  try {
    return write_fault(ctx, *refused, s_->reply_message_id(ctx));
  } catch (...) {
    http_response out;  // out of memory while writing the fault: a bare 500
    out.status = 500;
    return out;
  }
}

issuer_counters issuer::counters() const {
  issuer_counters c;
  c.requests = s_->requests.load(std::memory_order_relaxed);
  c.issued = s_->issued.load(std::memory_order_relaxed);
  c.renewed = s_->renewed.load(std::memory_order_relaxed);
  c.faults = s_->faults.load(std::memory_order_relaxed);
  return c;
}

const signing_identity& issuer::identity() const { return s_->identity; }

}  // namespace wst::detail::sts
