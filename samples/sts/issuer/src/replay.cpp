#include <wst/sts/replay.hpp>

#include "datetime.hpp"
#include "identifiers.hpp"
#include "namespaces.hpp"
#include "text.hpp"

#include <wst/sts/errc.hpp>
#include <wst/xml/reader.hpp>
#include <wst/xml/writer.hpp>

#include <fstream>
#include <optional>

namespace wst::detail::sts {

namespace {

constexpr std::size_t max_request_bytes = 1 << 20;

// What a reply template may echo from the request: its wsa:MessageID (either WS-Addressing
// version) and the Context attribute of the RequestSecurityToken in its Body (either trust
// version). Each is empty when the request does not carry it or is not a SOAP envelope.
struct request_echo {
  std::string message_id, context;
};

request_echo read_request_echo(std::string_view body) {
  request_echo out;
  xml::limits lim;
  lim.max_bytes = max_request_bytes;
  auto doc = xml::parse(body, lim);
  if (!doc) return out;
  const xml::element env = doc->root();
  if (env.local_name() != "Envelope") return out;
  if (const xml::element header = env.child(env.namespace_uri(), "Header")) {
    for (std::string_view wsa : {ns::wsa10, ns::wsa04}) {
      if (auto id = header.child(wsa, "MessageID")) {
        out.message_id = std::string(trim(id.text()));
        break;
      }
    }
  }
  if (const xml::element body_element = env.child(env.namespace_uri(), "Body")) {
    for (std::string_view trust : {ns::trust13, ns::trust05}) {
      if (auto rst = body_element.child(trust, "RequestSecurityToken")) {
        if (auto context = rst.attribute("", "Context")) out.context = std::move(*context);
        break;
      }
    }
  }
  return out;
}

}  // namespace

replay_responder::replay_responder(std::string file_bytes, std::chrono::seconds lifetime,
                                   const clock& clk, crypto::random_source& rng)
    : bytes_(std::move(file_bytes)), lifetime_(lifetime), clock_(clk), rng_(rng) {
  static constexpr std::pair<std::string_view, slot> names[] = {
      {"{{MessageID}}", slot::message_id},
      {"{{Context}}", slot::context},
      {"{{NewMessageID}}", slot::new_message_id},
      {"{{Created}}", slot::created},
      {"{{Expires}}", slot::expires},
  };
  std::size_t literal_from = 0, at = 0;
  while ((at = bytes_.find("{{", at)) != std::string::npos) {
    bool matched = false;
    for (const auto& [name, what] : names) {
      if (bytes_.compare(at, name.size(), name) == 0) {
        pieces_.push_back({slot::literal, literal_from, at - literal_from});
        pieces_.push_back({what, 0, 0});
        at += name.size();
        literal_from = at;
        matched = true;
        break;
      }
    }
    if (!matched) at += 2;
  }
  pieces_.push_back({slot::literal, literal_from, bytes_.size() - literal_from});

  xml::limits lim;
  lim.max_bytes = bytes_.size() + 1;
  lim.max_depth = 256;
  if (auto doc = xml::parse(bytes_, lim)) {
    const xml::element env = doc->root();
    const std::string_view ens = env.namespace_uri();
    if (env.local_name() == "Envelope" && (ens == ns::soap11 || ens == ns::soap12)) {
      envelope_ = ens == ns::soap11 ? envelope::soap11 : envelope::soap12;
      const xml::element body = env.child(ens, "Body");
      const auto kids = body ? body.children() : std::vector<xml::element>{};
      if (!kids.empty() && kids[0].is(ens, "Fault")) status_ = 500;
    }
  }
}

result<std::unique_ptr<replay_responder>> replay_responder::load(const std::string& path,
                                                                 std::chrono::seconds lifetime,
                                                                 const clock& clk,
                                                                 crypto::random_source& rng) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure(errc::bad_replay_file, "cannot read '" + path + "'");
  std::string bytes;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_file_bytes)
      return failure(errc::bad_replay_file,
                     "'" + path + "' is larger than " + std::to_string(max_file_bytes) + " bytes");
  }
  return std::make_unique<replay_responder>(std::move(bytes), lifetime, clk, rng);
}

http_response replay_responder::respond(const http_request& req) {
  http_response out;
  out.status = status_;
  const bool soap12 = envelope_ == envelope::soap12 ||
                      (envelope_ == envelope::unknown &&
                       starts_with_ci(trim(req.content_type), "application/soap+xml"));
  out.content_type = soap12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";
  out.body.reserve(bytes_.size() + 128);
  std::optional<request_echo> echo;      // the request is parsed once, and only when needed
  std::optional<clock::time_point> now;  // one instant for Created and Expires
  for (const piece& p : pieces_) {
    switch (p.what) {
      case slot::literal:
        out.body.append(bytes_, p.begin, p.size);
        break;
      case slot::message_id:
        if (!echo) echo = read_request_echo(req.body);
        xml::escape_attribute(out.body, echo->message_id);
        break;
      case slot::context:
        if (!echo) echo = read_request_echo(req.body);
        xml::escape_attribute(out.body, echo->context);
        break;
      case slot::new_message_id:
        out.body += "urn:uuid:" + new_uuid(rng_);
        break;
      case slot::created:
        if (!now) now = clock_.now();
        out.body += xsd_datetime(*now);
        break;
      case slot::expires:
        if (!now) now = clock_.now();
        out.body += xsd_datetime(*now + lifetime_);
        break;
    }
  }
  return out;
}

}  // namespace wst::detail::sts
