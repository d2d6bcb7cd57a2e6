#include <wst/sts/service.hpp>

namespace wst::detail::sts {

service::service(std::unique_ptr<responder> r, const issuer* counters_from, fault_spec fault)
    : responder_(std::move(r)), counters_from_(counters_from), fault_(fault) {}

http_response service::handle(const http_request& req) {
  http_response out;
  const std::string_view path = req.target.substr(0, req.target.find('?'));
  if (req.method == "GET") {
    if (path != "/stats") {
      out.status = 404;
      out.content_type = "text/plain; charset=utf-8";
      out.body = "not found; POST a RequestSecurityToken, or GET /stats\n";
      return out;
    }
    issuer_counters c;
    if (counters_from_) c = counters_from_->counters();
    out.content_type = "application/json";
    out.body = "{\"served\":" + std::to_string(served()) +
               ",\"issued\":" + std::to_string(c.issued) +
               ",\"renewed\":" + std::to_string(c.renewed) +
               ",\"faults\":" + std::to_string(c.faults) + "}\n";
    return out;
  }
  if (req.method != "POST") {
    out.status = 405;
    out.headers.emplace_back("Allow", "POST, GET");
    out.content_type = "text/plain; charset=utf-8";
    out.body = "method not allowed\n";
    return out;
  }
  served_.fetch_add(1, std::memory_order_relaxed);
  if (fault_.kind == fault_kind::http500) {
    out.status = 500;
    out.content_type = "text/plain; charset=utf-8";
    out.body = "simulated failure (--fault http500)\n";
    return out;
  }
  http_response r = responder_->respond(req);
  if (fault_.kind == fault_kind::content_type) r.content_type = fault_.content_type;
  return r;
}

}  // namespace wst::detail::sts
