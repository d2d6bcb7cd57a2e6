// Tells ThreadSanitizer about a hand-over it cannot see: Debian's libcaf_core is not built with
// it, so the happens-before that CAF's mailbox gives a message (sender -> receiver) is
// invisible, and a buffer built in one actor and used on a loop thread after passing through
// another actor looks like a race. handed_over() before the send and taken_over() where the
// buffer is used again restate that edge for the buffer. No-ops in other builds.
#pragma once

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace wst::detail::actors {

inline void handed_over([[maybe_unused]] const void* p) noexcept {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(const_cast<void*>(p));
#endif
}

inline void taken_over([[maybe_unused]] const void* p) noexcept {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(const_cast<void*>(p));
#endif
}

}  // namespace wst::detail::actors
