// Where a token_reply goes: the response promise of an actor's request, or a caller's sink
// (callers that are not actors). Shared by the channel and the token store.
#pragma once

#include <wst/actors/interfaces.hpp>

#include <caf/typed_response_promise.hpp>

#include <utility>

namespace wst::detail::actors {

struct token_answer {
  caf::typed_response_promise<token_reply> rp;
  token_sink_ptr sink;

  // Delivers `r` to the sink when there is one, else through the promise; once.
  void deliver(token_reply r) {
    if (sink) {
      auto s = std::move(sink);
      s->deliver(std::move(r));
    } else {
      rp.deliver(std::move(r));
    }
  }
};

}  // namespace wst::detail::actors
